package dev.sluice.micrometer;

/**
 * The names and tag keys of the meters {@link SluiceMetrics} registers, for dashboards, alerts
 * and tests. Every meter carries {@link #POOL_NAME}.
 *
 * <p>The {@code db.client.connection.*} names follow the OpenTelemetry semantic conventions for
 * database client connection pools (experimental there, so they may still change upstream); the
 * {@code sluice.*} names are Sluice's own. Counts carry no base unit (the OpenTelemetry units are
 * annotations such as {@code {connection}}, which Prometheus would turn into name suffixes); times
 * are in seconds.
 */
public final class SluiceMeterNames {
    private SluiceMeterNames() {
    }

    // ------------------------------------------------------------------ tag keys

    /** The pool's name ({@code poolName}), on every meter. */
    public static final String POOL_NAME = "db.client.connection.pool.name";
    /** On {@link #CONNECTION_COUNT}: {@code idle} or {@code used}. */
    public static final String STATE = "db.client.connection.state";
    /** On {@link #CLOSED}: the {@link dev.sluice.CloseReason} in lower case, e.g. {@code max_lifetime}. */
    public static final String REASON = "reason";
    /** On {@link #BREAKER_STATE}: the {@link dev.sluice.BreakerState} in lower case, e.g. {@code half_open}. */
    public static final String BREAKER_STATE_TAG = "state";
    /** On {@link #SIZING_DECISIONS}: the {@link dev.sluice.SizingDecision.Action} in lower case. */
    public static final String ACTION = "action";
    /** On the {@code *.quantile} gauges: {@code 0.5}, {@code 0.9}, {@code 0.99} or {@code max}. */
    public static final String QUANTILE = "quantile";
    /**
     * On a tenant data source's per-tenant meters ({@link SluiceTenantMetrics}): the tenant id, or
     * {@code _other} for the tenants beyond the cardinality cap, summed.
     */
    public static final String TENANT = "tenant";
    /** On {@link #BUDGET_EVICTIONS}: {@code idle} or {@code on_return}. */
    public static final String EVICTION = "eviction";

    // ------------------------------------------------------------------ OpenTelemetry names

    /** Gauge: connections idle or in use now, by {@link #STATE}. */
    public static final String CONNECTION_COUNT = "db.client.connection.count";
    /** Gauge: the most idle connections kept ({@code maxIdle}, as the pool applies it now). */
    public static final String IDLE_MAX = "db.client.connection.idle.max";
    /** Gauge: {@code minimumIdle} now. */
    public static final String IDLE_MIN = "db.client.connection.idle.min";
    /** Gauge: {@code maximumPoolSize} now (it changes with {@code resize} and adaptive sizing). */
    public static final String MAX = "db.client.connection.max";
    /** Gauge: {@code getConnection} calls waiting now. */
    public static final String PENDING_REQUESTS = "db.client.connection.pending_requests";
    /** Counter: {@code getConnection} calls that failed because their deadline passed. */
    public static final String TIMEOUTS = "db.client.connection.timeouts";
    /** Timer: successful connects. */
    public static final String CREATE_TIME = "db.client.connection.create_time";
    /** Timer: time to obtain a connection, waits and validation included. */
    public static final String WAIT_TIME = "db.client.connection.wait_time";
    /** Timer: time from borrow to return. */
    public static final String USE_TIME = "db.client.connection.use_time";

    // ------------------------------------------------------------------ Sluice's own

    /** Counter: physical connections opened. */
    public static final String CREATED = "sluice.connection.created";
    /** Counter: connect attempts that failed. */
    public static final String CONNECT_FAILURES = "sluice.connection.connect_failures";
    /** Gauge: connects in progress now. */
    public static final String CREATING = "sluice.connection.creating";
    /** Counter: {@code getConnection} calls that found no idle connection and had to wait. */
    public static final String WAITS = "sluice.connection.waits";
    /** Counter: physical connections closed, by {@link #REASON}. */
    public static final String CLOSED = "sluice.connection.closed";
    /** Counter: borrows held longer than {@code leakDetectionThreshold}. */
    public static final String LEAKS_SUSPECTED = "sluice.connection.leaks_suspected";
    /** Counter: borrowed connections aborted and reclaimed after {@code abandonTimeout}. */
    public static final String ABANDONED = "sluice.connection.abandoned";
    /** Counter: validations that failed (before hand-out or in keepalive). */
    public static final String VALIDATION_FAILURES = "sluice.connection.validation_failures";
    /** Counter: waits by a thread that already held a connection of the same pool. */
    public static final String NESTED_ACQUISITIONS = "sluice.connection.nested_acquisitions";
    /** Gauge, seconds, by {@link #QUANTILE}: time to obtain a connection, distribution since the pool started. */
    public static final String WAIT_TIME_QUANTILE = "sluice.connection.wait_time.quantile";
    /** Gauge, seconds, by {@link #QUANTILE}: time held by borrowers, distribution since the pool started. */
    public static final String USE_TIME_QUANTILE = "sluice.connection.use_time.quantile";
    /** Gauge, seconds, by {@link #QUANTILE}: connect time, distribution since the pool started. */
    public static final String CREATE_TIME_QUANTILE = "sluice.connection.create_time.quantile";
    /** Gauge, by {@link #BREAKER_STATE_TAG}: 1 for the breaker's current state, 0 for the others. */
    public static final String BREAKER_STATE = "sluice.breaker.state";
    /** Counter: times the breaker opened. */
    public static final String BREAKER_OPENS = "sluice.breaker.opens";
    /** Counter: {@code getConnection} calls failed fast because the breaker was open. */
    public static final String BREAKER_REJECTIONS = "sluice.breaker.rejections";
    /**
     * Gauge, by {@link #HEALTH_STATUS_TAG}: 1 for the status the pool's health rule gives now
     * ({@link dev.sluice.PoolHealth}), 0 for the others.
     */
    public static final String HEALTH = "sluice.pool.health";
    /** On {@link #HEALTH}: the {@link dev.sluice.PoolHealth.Status} in lower case, e.g. {@code saturated}. */
    public static final String HEALTH_STATUS_TAG = "status";
    /** Gauge (sizing ADAPTIVE or ADVISORY only): the size the latest sizing decision chose. */
    public static final String SIZING_TARGET = "sluice.sizing.target";
    /** Counter (sizing ADAPTIVE or ADVISORY only): sizing decisions seen, by {@link #ACTION}. */
    public static final String SIZING_DECISIONS = "sluice.sizing.decisions";

    // ------------------------------------------------------------------ a tenant data source (SluiceTenantMetrics)
    // Its budget reads as one pool under the OpenTelemetry names (CONNECTION_COUNT, MAX,
    // PENDING_REQUESTS, tagged with the data source's name); what only a budget has, and each
    // tenant's share, are Sluice's own. Per-tenant meters have names of their own because a
    // registry such as Prometheus's requires one set of tag keys per name, and a single pool's
    // meters bound to the same registry have no tenant tag.

    /** Gauge: physical connections open across all tenants, connects under way included. */
    public static final String BUDGET_OPEN = "sluice.budget.open";
    /** Counter: times the budget was used up when a connection was wanted. */
    public static final String BUDGET_WAITS = "sluice.budget.waits";
    /** Counter, by {@link #EVICTION}: connections closed to make room for another tenant (DATABASE mode). */
    public static final String BUDGET_EVICTIONS = "sluice.budget.evictions";
    /** Gauge: tenants the data source knows now. */
    public static final String TENANTS_KNOWN = "sluice.tenants.known";
    /** Gauge: tenants with a {@link #TENANT} tag of their own now. */
    public static final String TENANTS_TAGGED = "sluice.tenants.tagged";
    /** Gauge, by {@link #TENANT} and {@link #STATE}: connections the tenant has borrowed ({@code used}) or its pool keeps idle. */
    public static final String TENANT_CONNECTION_COUNT = "sluice.tenant.connection.count";
    /** Gauge, by {@link #TENANT}: the tenant's {@code getConnection} calls waiting now. */
    public static final String TENANT_PENDING_REQUESTS = "sluice.tenant.pending_requests";
    /** Counter, by {@link #TENANT}: borrows. */
    public static final String TENANT_BORROWS = "sluice.tenant.borrows";
}
