package dev.sluice.internal;

import dev.sluice.CredentialsProvider;
import dev.sluice.FailureReason;
import dev.sluice.PgBouncerMode;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceFailure;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * Opens one physical connection on the calling thread, with the credentials of the moment and the
 * driver's own connect and login timeouts derived from the attempt's budget for the drivers we
 * know, so a hung DNS, TCP, TLS or login step is cut by the driver itself wherever it can be. Properties the user set win over derived ones. A driver that
 * ignores them is still bounded: {@link ConnectAttempts} abandons the attempt at its budget.
 */
final class PhysicalConnector {
    private final String poolName;
    private final String jdbcUrl;
    private final String driverClassName;
    private final DataSource dataSource;
    private final Properties userProperties;
    private volatile Credentials credentials;
    /** Asked on every connect when set; {@link #credentials(String, String)} replaces it with fixed ones. */
    private volatile CredentialsProvider provider;
    private volatile Driver driver;
    /** The pool's clock, for what is left of a connect budget. */
    private final Ticker ticker;
    /** Behind PgBouncer in transaction mode: pgjdbc must not prepare statements on the server. */
    private final boolean transactionPooling;

    record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[username=" + username + ", password=<hidden>]";
        }
    }

    /** Longest pause before asking the provider again after a rejection, when it had nothing newer. */
    private static final long ROTATION_PAUSE_MILLIS = 100;

    PhysicalConnector(SluiceConfig config, Ticker ticker) {
        this.poolName = config.poolName();
        this.ticker = ticker;
        this.jdbcUrl = config.jdbcUrl();
        this.driverClassName = config.driverClassName();
        this.dataSource = config.dataSource();
        this.userProperties = config.dataSourceProperties();
        this.credentials = new Credentials(config.username(), config.password());
        this.provider = config.credentialsProvider();
        this.transactionPooling = config.pgbouncer() == PgBouncerMode.TRANSACTION;
    }

    /**
     * The application name every connection of this pool carries (a fleet member's), or null.
     * Written once, before the pool's first connect.
     */
    volatile String applicationName;

    void credentials(String username, String password) {
        this.credentials = new Credentials(username, password);
        this.provider = null;
    }

    boolean hasCredentialsProvider() {
        return provider != null;
    }

    /** The configured user; a provider may connect as another. */
    String username() {
        return credentials.username();
    }

    /**
     * Whom the next connect logs in as, for session defaults learned from one connection and reused
     * for the next (see {@link ConnectAttempts}): the fixed credentials, a new object on every change.
     * Null when a credentials provider or a DataSource decides at each connect, so nothing is reused.
     */
    Object loginKey() {
        return dataSource != null || provider != null ? null : credentials;
    }

    String describeTarget() {
        return dataSource != null ? dataSource.getClass().getName() : Redaction.url(jdbcUrl);
    }

    /**
     * Opens one connection, the driver bounded by {@code budgetMillis} where it supports it.
     * Failures are classified {@link SluiceFailure}s with the driver's exception as cause.
     */
    Connection connect(long budgetMillis) throws SQLException {
        return connect(budgetMillis, applicationName);
    }

    /** {@link #connect(long)} with another application name: a fleet's control connection is named apart from the pool's. */
    Connection connect(long budgetMillis, String appName) throws SQLException {
        CredentialsProvider p = provider;
        if (p == null) {
            return connect(credentials, budgetMillis, appName);
        }
        long start = ticker.read();
        Credentials first = fromProvider(p);
        try {
            return connect(first, budgetMillis, appName);
        } catch (SQLException f) {
            if (SluiceFailure.reasonOf(f).orElse(null) != FailureReason.AUTHENTICATION_FAILED) {
                throw f;
            }
            // The secret may have been rotated between the provider's answer and the server's
            // check: ask again, once, and after a short pause if the provider has nothing newer yet.
            Credentials second = fromProvider(p);
            if (second.equals(first)) {
                long leftMillis = budgetMillis - TimeUnit.NANOSECONDS.toMillis(ticker.read() - start);
                long pauseMillis = Math.min(ROTATION_PAUSE_MILLIS, leftMillis / 4);
                if (pauseMillis <= 0) {
                    throw f;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
                second = fromProvider(p);
                if (second.equals(first)) {
                    throw f;
                }
            }
            long leftMillis = budgetMillis - TimeUnit.NANOSECONDS.toMillis(ticker.read() - start);
            if (leftMillis <= 0) {
                throw f;
            }
            return connect(second, leftMillis, appName);
        }
    }

    private Credentials fromProvider(CredentialsProvider p) throws SQLException {
        CredentialsProvider.Credentials given;
        try {
            given = p.credentials();
        } catch (Exception e) {
            throw SluiceFailure.of(FailureReason.CREDENTIALS_UNAVAILABLE, poolName, poolName + ": the credentials provider "
                    + p.getClass().getName() + " failed: " + Redaction.scrub(String.valueOf(e), credentials.password()), e);
        }
        if (given == null) {
            throw SluiceFailure.of(FailureReason.CREDENTIALS_UNAVAILABLE, poolName,
                    poolName + ": the credentials provider " + p.getClass().getName() + " returned null", null);
        }
        return new Credentials(given.username() != null ? given.username() : credentials.username(), given.password());
    }

    private Connection connect(Credentials c, long budgetMillis, String appName) throws SQLException {
        try {
            Connection conn;
            if (dataSource != null) {
                conn = c.username() == null ? dataSource.getConnection() : dataSource.getConnection(c.username(), c.password());
            } else {
                Properties p = new Properties();
                p.putAll(userProperties);
                if (c.username() != null) {
                    p.setProperty("user", c.username());
                }
                if (c.password() != null) {
                    p.setProperty("password", c.password());
                }
                DriverTimeouts.apply(jdbcUrl, p, budgetMillis);
                if (transactionPooling && jdbcUrl.startsWith("jdbc:postgresql:")) {
                    // After five executions pgjdbc switches a statement to a named server-side one, which
                    // lives on whichever server connection PgBouncer lent for that transaction; the next
                    // transaction gets another and fails with "prepared statement S_1 does not exist".
                    // Only when absent: a user on PgBouncer 1.21+ with max_prepared_statements may want them,
                    // and a prepareThreshold in the URL overrides this one in pgjdbc anyway.
                    p.putIfAbsent("prepareThreshold", "0");
                }
                if (appName != null && jdbcUrl.startsWith("jdbc:postgresql:")) {
                    // Set, not putIfAbsent: the fleet finds its members by this name, so a user's own would hide the connection.
                    p.setProperty("ApplicationName", appName);
                } else if (appName != null && (jdbcUrl.startsWith("jdbc:mariadb:") || jdbcUrl.startsWith("jdbc:mysql:"))) {
                    // For people only (performance_schema.session_connect_attrs): the fleet is not coordinated there.
                    // The driver splits attributes at ':' and ',', so the name's separators become '/'.
                    p.putIfAbsent("connectionAttributes", "program_name:" + appName.replace(':', '/'));
                }
                conn = driver().connect(jdbcUrl, p);
                if (conn == null) {
                    throw SluiceFailure.of(FailureReason.INVALID_CONFIG, poolName,
                            poolName + ": the driver " + driver().getClass().getName() + " does not accept the URL "
                                    + Redaction.url(jdbcUrl), null);
                }
            }
            return conn;
        } catch (SQLException | RuntimeException e) {
            if (e instanceof SluiceFailure) {
                throw (SQLException) e;
            }
            throw classify(e, c);
        }
    }

    private SQLException classify(Exception e, Credentials c) {
        FailureReason reason = FailureClassifier.classifyConnect(e);
        String detail = Redaction.scrub(String.valueOf(e.getMessage()), c.password());
        String advice = switch (reason) {
            case AUTHENTICATION_FAILED -> c.username() == null ? "the database rejected the credentials (no username configured)"
                    : "the database rejected the credentials of user '" + c.username() + "'";
            case INVALID_CONFIG -> "the configuration cannot work";
            case CONNECT_TIMEOUT -> "the connect did not complete in time";
            default -> "the database could not be reached; is it running and is the address right?";
        };
        return SluiceFailure.of(reason, poolName, poolName + ": cannot connect to " + describeTarget() + ": " + advice
                + " (" + reason + "): " + detail, e);
    }

    private Driver driver() throws SQLException {
        Driver d = driver;
        if (d != null) {
            return d;
        }
        if (driverClassName != null) {
            d = loadDriverClass();
        }
        if (d == null) {
            try {
                d = DriverManager.getDriver(jdbcUrl);
            } catch (SQLException e) {
                throw SluiceFailure.of(FailureReason.INVALID_CONFIG, poolName, poolName + ": no JDBC driver on the class path accepts "
                        + Redaction.url(jdbcUrl) + "; add the driver dependency or set driverClassName", e);
            }
        }
        driver = d;
        return d;
    }

    private Driver loadDriverClass() throws SQLException {
        Class<?> type = null;
        for (ClassLoader loader : new ClassLoader[] {Thread.currentThread().getContextClassLoader(), PhysicalConnector.class.getClassLoader()}) {
            if (loader == null) {
                continue;
            }
            try {
                type = Class.forName(driverClassName, true, loader);
                break;
            } catch (ClassNotFoundException e) {
                // try the next loader
            }
        }
        if (type == null) {
            throw SluiceFailure.of(FailureReason.INVALID_CONFIG, poolName,
                    poolName + ": driverClassName=" + driverClassName + " is not on the class path", null);
        }
        if (!Driver.class.isAssignableFrom(type)) {
            throw SluiceFailure.of(FailureReason.INVALID_CONFIG, poolName,
                    poolName + ": driverClassName=" + driverClassName + " is not a java.sql.Driver", null);
        }
        try {
            Driver d = (Driver) type.getDeclaredConstructor().newInstance();
            return d.acceptsURL(jdbcUrl) ? d : null;
        } catch (ReflectiveOperationException e) {
            throw SluiceFailure.of(FailureReason.INVALID_CONFIG, poolName,
                    poolName + ": cannot instantiate driverClassName=" + driverClassName, e);
        }
    }
}
