package dev.sluice;

/**
 * Why the pool could not give the caller a connection. The {@link #code() code} is stable and
 * meant for dashboards and alerts; {@link #isTransient()} tells a caller whether a retry can help.
 */
public enum FailureReason {
    /** No connection became available before the caller's deadline. Retry later or raise the pool size. */
    ACQUIRE_TIMEOUT(true, "08001"),
    /** The database did not complete a connect (TCP, TLS or login) within the deadline. */
    CONNECT_TIMEOUT(true, "08001"),
    /** The database refused the connection or could not be reached (down, wrong port, DNS). */
    CONNECT_REFUSED(true, "08001"),
    /** The database rejected the credentials. Retrying will not help: fix the user or password. */
    AUTHENTICATION_FAILED(false, "28000"),
    /** The configuration cannot work: no driver for the URL, unknown database, malformed URL or knob. */
    INVALID_CONFIG(false, "08004"),
    /** Connect failures tripped the circuit breaker; callers fail at once until a probe succeeds. */
    BREAKER_OPEN(true, "08001"),
    /** The pool was closed. */
    POOL_CLOSED(false, "08003"),
    /** The pool is suspended and was not resumed before the caller's deadline. */
    POOL_SUSPENDED(true, "08001"),
    /** Connections failed validation and no valid one could be made within the deadline. */
    VALIDATION_FAILED(true, "08006"),
    /**
     * The calling thread already holds a connection of this pool and would have to wait for a
     * second one ({@code nestedAcquisition=FAIL}): a deadlock risk to fix in the code.
     */
    NESTED_ACQUISITION(false, "HY000"),
    /**
     * The configured {@link CredentialsProvider} failed or returned nothing (a token service
     * down, a lease not renewed). The pool retries; the cause is the provider's exception.
     */
    CREDENTIALS_UNAVAILABLE(true, "08001"),
    /**
     * A statement run on a connection borrowed inside a scoped {@link Deadline} was stopped because
     * the deadline passed (the server cancelled it, or, on a dead network, the connection's network
     * timeout ended it). The message names the budget and the elapsed time; the driver's exception
     * is the cause. The connection goes back to the pool if it is still good. SQLState HYT00
     * ("timeout expired"), not class 08: the connection itself usually survives.
     */
    DEADLINE_EXCEEDED(true, "HYT00"),
    /**
     * A {@link TenantDataSource} was asked for a connection with no tenant named and none in
     * scope ({@link Tenant#scope}): a bug in the caller's request handling.
     */
    NO_TENANT(false, "HY000"),
    /**
     * A tenant id that is not a safe identifier (see {@link Tenant#ID_RULE}); refused before any
     * SQL runs. SQLState 42602, "invalid name".
     */
    INVALID_TENANT(false, "42602"),
    /**
     * The tenant's schema or database does not exist. The message names the tenant; the
     * driver's exception is the cause. SQLState 3D000, "invalid catalog name".
     */
    UNKNOWN_TENANT(false, "3D000");

    private final boolean isTransient;
    private final String sqlState;

    FailureReason(boolean isTransient, String sqlState) {
        this.isTransient = isTransient;
        this.sqlState = sqlState;
    }

    /** Whether the same call may succeed later without a change of configuration. */
    public boolean isTransient() {
        return isTransient;
    }

    /** The SQLState carried by exceptions of this reason (class 08 for connection failures). */
    public String sqlState() {
        return sqlState;
    }

    /** A stable identifier, e.g. {@code SLUICE-ACQUIRE_TIMEOUT}. */
    public String code() {
        return "SLUICE-" + name();
    }
}
