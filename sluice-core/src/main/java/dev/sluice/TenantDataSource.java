package dev.sluice;

import dev.sluice.internal.MBeans;
import dev.sluice.internal.tenant.DatabaseRouter;
import dev.sluice.internal.tenant.SchemaRouter;
import dev.sluice.internal.tenant.TenantRouter;
import dev.sluice.internal.tenant.TenantsMBean;
import java.io.Closeable;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;
import java.util.logging.Logger;
import javax.management.ObjectName;
import javax.sql.DataSource;

/**
 * A {@link DataSource} for a service with a schema or a database per tenant, serving all tenants
 * from one budget of physical connections.
 *
 * <pre>{@code
 * TenantDataSource tenants = TenantDataSource.builder()
 *         .template(SluiceConfig.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:5432/app").username("app").build())
 *         .mode(TenantMode.SCHEMA)
 *         .globalMaximumPoolSize(40)     // physical connections across all tenants, never exceeded
 *         .tenantMaximumPoolSize(10)     // the most one tenant may hold at once
 *         .build();
 * try (Connection c = tenants.getConnection("shop_a")) { ... }
 * try (Tenant t = Tenant.scope("shop_a"); Connection c = tenants.getConnection()) { ... }
 * }</pre>
 *
 * See {@link TenantMode} for the two modes. Tenant ids must match {@link Tenant#ID_RULE}; any
 * other id is refused before SQL runs ({@link FailureReason#INVALID_TENANT}). A tenant whose
 * schema or database does not exist fails with {@link FailureReason#UNKNOWN_TENANT}, and
 * {@link #getConnection()} with no tenant in scope (and none from the {@link TenantResolver}, if
 * one is set) with {@link FailureReason#NO_TENANT}.
 * Every borrow waits at most the template's {@code connectionTimeout}, or a scoped
 * {@link Deadline}, whichever ends first.
 */
public final class TenantDataSource implements DataSource, Closeable {
    /** Property names of the tenant knobs in {@link #fromProperties}; every other key configures the template. */
    public static final String MODE = "tenants.mode";
    public static final String GLOBAL_MAXIMUM_POOL_SIZE = "tenants.globalMaximumPoolSize";
    public static final String TENANT_MAXIMUM_POOL_SIZE = "tenants.tenantMaximumPoolSize";
    public static final String TENANT_IDLE_TIMEOUT = "tenants.tenantIdleTimeout";
    /** DATABASE mode: the tenant's JDBC URL, with {@code {tenant}} where the tenant id goes. */
    public static final String TENANT_URL = "tenants.tenantUrl";
    /** DATABASE mode: {@code tenants.reserve.<id>=n} reserves n connections for tenant {@code <id>}. */
    public static final String RESERVE_PREFIX = "tenants.reserve.";
    /** DATABASE mode: {@code tenants.weight.<id>=w} gives tenant {@code <id>} weight w (default 1). */
    public static final String WEIGHT_PREFIX = "tenants.weight.";

    private final TenantRouter router;
    private final TenantResolver resolver;
    private final String name;
    private final long connectionTimeoutNanos;
    private volatile PrintWriter logWriter;
    /** Null unless the template's registerMbeans is on (and registration worked). */
    private final ObjectName mbeanName;

    private TenantDataSource(Builder b) throws SQLException {
        this.name = b.template.poolName();
        this.resolver = b.resolver;
        this.connectionTimeoutNanos = Deadline.saturatedNanos(b.template.connectionTimeout());
        if (b.mode == TenantMode.SCHEMA) {
            this.router = new SchemaRouter(b.template.toBuilder().maximumPoolSize(b.globalMaximumPoolSize).build(),
                    b.tenantMaximumPoolSize, this::checkId);
        } else {
            this.router = new DatabaseRouter(b.tenantTemplate(), b.tenantUrl, this::checkId, b.globalMaximumPoolSize,
                    b.tenantIdleTimeout, b.reserves, b.weights);
        }
        this.mbeanName = b.template.registerMbeans() ? TenantsMBean.register(name, router::stats) : null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A tenant data source from properties: the {@code tenants.*} keys above, and every other key
     * as in {@link SluiceConfig#fromProperties} for the template (HikariCP's names work).
     */
    public static TenantDataSource fromProperties(Properties properties) throws SQLException {
        Objects.requireNonNull(properties, "properties");
        Properties template = new Properties();
        Builder b = builder();
        for (String key : properties.stringPropertyNames()) {
            String v = properties.getProperty(key).trim();
            switch (key) {
                case MODE -> b.mode(KnobText.named(MODE, v, TenantMode.class));
                case GLOBAL_MAXIMUM_POOL_SIZE -> b.globalMaximumPoolSize(number(key, v));
                case TENANT_MAXIMUM_POOL_SIZE -> b.tenantMaximumPoolSize(number(key, v));
                case TENANT_IDLE_TIMEOUT -> b.tenantIdleTimeout(KnobText.parseDuration(key, v));
                case TENANT_URL -> {
                    if (!v.contains("{tenant}")) {
                        throw KnobText.invalid(key, v, key + "='" + v + "' must contain {tenant} where the tenant id goes");
                    }
                    b.tenantUrl(tenant -> v.replace("{tenant}", tenant));
                }
                default -> {
                    if (key.startsWith(RESERVE_PREFIX)) {
                        b.tenantReserve(key.substring(RESERVE_PREFIX.length()), number(key, v));
                    } else if (key.startsWith(WEIGHT_PREFIX)) {
                        b.tenantWeight(key.substring(WEIGHT_PREFIX.length()), number(key, v));
                    } else if (key.startsWith("tenants.")) {
                        throw KnobText.invalid(key, v, key + " is not a tenant knob; known: " + List.of(MODE,
                                GLOBAL_MAXIMUM_POOL_SIZE, TENANT_MAXIMUM_POOL_SIZE, TENANT_IDLE_TIMEOUT, TENANT_URL, RESERVE_PREFIX + "<id>", WEIGHT_PREFIX + "<id>"));
                    } else {
                        template.setProperty(key, properties.getProperty(key));
                    }
                }
            }
        }
        return b.template(SluiceConfig.fromProperties(template)).build();
    }

    private static int number(String key, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw KnobText.invalid(key, v, key + "='" + v + "' must be a whole number", e);
        }
    }

    /**
     * Borrows a connection for the tenant in scope ({@link Tenant#scope}), or else the one the
     * {@link Builder#tenantResolver resolver} names.
     */
    @Override
    public Connection getConnection() throws SQLException {
        String tenant = Tenant.currentOrNull();
        if (tenant == null) {
            return getConnection(resolveTenant());
        }
        return borrow(tenant);
    }

    private String resolveTenant() throws SQLException {
        if (resolver == null) {
            throw SluiceFailure.of(FailureReason.NO_TENANT, name, name + ": no tenant given and none in scope; call"
                    + " getConnection(tenant) or open Tenant.scope(tenant) around the request", null);
        }
        String tenant;
        try {
            tenant = resolver.currentTenant();
        } catch (RuntimeException e) {
            // Classified like any other borrow failure, so callers that sort by reason need no second path.
            throw SluiceFailure.of(FailureReason.NO_TENANT, name, name + ": no tenant in scope and the tenant resolver failed: "
                    + e, e);
        }
        if (tenant == null) {
            throw SluiceFailure.of(FailureReason.NO_TENANT, name, name + ": no tenant in scope and the tenant resolver"
                    + " returned none; open Tenant.scope(tenant) or make the resolver see the request's tenant", null);
        }
        return tenant;
    }

    /**
     * Borrows a connection for {@code tenant}. An id that breaks {@link Tenant#ID_RULE} fails with
     * INVALID_TENANT before any SQL runs; the router checks each id once, when it first sees it.
     */
    public Connection getConnection(String tenant) throws SQLException {
        return borrow(tenant);
    }

    private void checkId(String tenant) throws SQLException {
        String problem = Tenant.problemWith(tenant);
        if (problem != null) {
            throw SluiceFailure.of(FailureReason.INVALID_TENANT, name, name + ": " + problem, null);
        }
    }

    private Connection borrow(String tenant) throws SQLException {
        Deadline scoped = Deadline.currentOrNull();
        if (scoped == null) {
            return router.borrow(tenant, connectionTimeoutNanos, false, 0);
        }
        long left = scoped.remainingNanos();
        return router.borrow(tenant, Math.min(connectionTimeoutNanos, left), true, left);
    }

    /** The data source's name: the template's poolName (a DATABASE-mode tenant pool is named {@code <name>-<tenant>}). */
    public String name() {
        return name;
    }

    /** The budget (open, in use, idle, waiting) and each tenant's share of it. */
    public TenantStats stats() {
        return router.stats();
    }

    /** Closes every pool; borrowed connections are waited for up to the template's shutdownTimeout. */
    @Override
    public void close() {
        MBeans.unregister(mbeanName);
        router.close();
    }

    /** Not supported: the pools connect with the template's credentials. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("getConnection(username, password) is not supported by a pool; configure the credentials");
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    /** Ignored: the template's connectionTimeout and scoped Deadlines bound every borrow. */
    @Override
    public void setLoginTimeout(int seconds) {
        // the timeout is the template's; a per-DataSource login timeout would apply to all tenants at once
    }

    @Override
    public int getLoginTimeout() {
        return (int) Math.min(Integer.MAX_VALUE, connectionTimeoutNanos / 1_000_000_000L);
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("Sluice logs through System.Logger");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "TenantDataSource[" + name + ", " + router.stats().mode() + "]";
    }

    /** Builds a {@link TenantDataSource}; {@link #build()} checks every knob and names the ones that are wrong. */
    public static final class Builder {
        private SluiceConfig template;
        private TenantMode mode = TenantMode.SCHEMA;
        private Function<String, String> tenantUrl;
        private Integer globalMaximumPoolSize;
        private Integer tenantMaximumPoolSize;
        private Duration tenantIdleTimeout = Duration.ofMinutes(5);
        private final Map<String, Integer> reserves = new LinkedHashMap<>();
        private final Map<String, Integer> weights = new LinkedHashMap<>();
        private TenantResolver resolver;

        private Builder() {
        }

        /**
         * The configuration every pool is made from: URL (SCHEMA mode), credentials, timeouts,
         * listeners. Its maximumPoolSize is the default budget; its poolName names the data source.
         */
        public Builder template(SluiceConfig template) {
            this.template = Objects.requireNonNull(template, "template");
            return this;
        }

        public Builder mode(TenantMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** DATABASE mode: the JDBC URL of a tenant's database. Called once per tenant pool, with a checked id. */
        public Builder tenantUrl(Function<String, String> tenantUrl) {
            this.tenantUrl = Objects.requireNonNull(tenantUrl, "tenantUrl");
            return this;
        }

        /** Physical connections across all tenants, never exceeded. Default: the template's maximumPoolSize. */
        public Builder globalMaximumPoolSize(int n) {
            this.globalMaximumPoolSize = n;
            return this;
        }

        /** The most connections one tenant may hold at once; its further callers wait. Default: the global budget. */
        public Builder tenantMaximumPoolSize(int n) {
            this.tenantMaximumPoolSize = n;
            return this;
        }

        /** DATABASE mode: a tenant's pool is closed after this long without a borrow. Default 5 minutes, at least 100 ms. */
        public Builder tenantIdleTimeout(Duration d) {
            this.tenantIdleTimeout = Objects.requireNonNull(d, "tenantIdleTimeout");
            return this;
        }

        /**
         * DATABASE mode: keeps {@code connections} of the budget for {@code tenant}. The budget never
         * closes its connections below that to make room for another tenant, its pool keeps that
         * many warm, and other tenants never take the permits it has not used yet, so it gets them
         * at once whatever the others do. The reserves together must leave at least one connection
         * of globalMaximumPoolSize to the tenants without one; each is 1 to tenantMaximumPoolSize.
         */
        public Builder tenantReserve(String tenant, int connections) {
            reserves.put(Objects.requireNonNull(tenant, "tenant"), connections);
            return this;
        }

        /**
         * DATABASE mode: when the budget is short, tenants share it in proportion to their weights
         * (default 1): a waiting tenant is served before one holding more connections for its
         * weight, and connections are taken from the tenant holding the most for its weight.
         * 1 to 1000.
         */
        public Builder tenantWeight(String tenant, int weight) {
            weights.put(Objects.requireNonNull(tenant, "tenant"), weight);
            return this;
        }

        /**
         * Where {@link TenantDataSource#getConnection()} finds the tenant when no
         * {@link Tenant#scope} is open. Default: none, and such a borrow fails with NO_TENANT.
         */
        public Builder tenantResolver(TenantResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "tenantResolver");
            return this;
        }

        /**
         * Checks every knob and starts the data source (SCHEMA mode: the shared pool, with its
         * start-up check; DATABASE mode: tenant pools start on each tenant's first borrow).
         *
         * @throws InvalidConfigException naming every knob that is wrong
         */
        public TenantDataSource build() throws SQLException {
            List<InvalidConfigException.Violation> wrong = new ArrayList<>();
            if (template == null) {
                wrong.add(new InvalidConfigException.Violation("template", null, "template is required: the SluiceConfig every pool is made from"));
                throw new InvalidConfigException(wrong);
            }
            if (globalMaximumPoolSize == null) {
                globalMaximumPoolSize = template.maximumPoolSize();
            }
            if (tenantMaximumPoolSize == null) {
                tenantMaximumPoolSize = globalMaximumPoolSize;
            }
            if (globalMaximumPoolSize < 1) {
                wrong.add(violation(GLOBAL_MAXIMUM_POOL_SIZE, globalMaximumPoolSize, "must be at least 1"));
            }
            if (tenantMaximumPoolSize < 1 || tenantMaximumPoolSize > Math.max(1, globalMaximumPoolSize)) {
                wrong.add(violation(TENANT_MAXIMUM_POOL_SIZE, tenantMaximumPoolSize,
                        "must be between 1 and globalMaximumPoolSize (" + globalMaximumPoolSize + ")"));
            }
            if (tenantIdleTimeout.compareTo(Duration.ofMillis(100)) < 0) {
                wrong.add(violation(TENANT_IDLE_TIMEOUT, tenantIdleTimeout, "must be at least 100ms"));
            }
            if (mode == TenantMode.DATABASE && tenantUrl == null) {
                wrong.add(new InvalidConfigException.Violation(TENANT_URL, null,
                        "tenantUrl is required in DATABASE mode: the JDBC URL of each tenant's database"));
            }
            if (mode == TenantMode.SCHEMA && tenantUrl != null) {
                wrong.add(new InvalidConfigException.Violation(TENANT_URL, null,
                        "tenantUrl is for DATABASE mode; in SCHEMA mode every tenant is a schema of the template's database"));
            }
            if (template.fleet() != null) {
                // The pools of a tenant data source connect within its own budget; a fleet's grant would be a second
                // one, and silently ignoring the knob would leave the operator believing the fleet counts them.
                wrong.add(new InvalidConfigException.Violation("fleet", template.fleet(), "fleet=" + template.fleet()
                        + " is for a single pool; a tenant data source's connections are bounded by globalMaximumPoolSize"));
            }
            checkReserves(wrong);
            checkWeights(wrong);
            if (!wrong.isEmpty()) {
                throw new InvalidConfigException(wrong);
            }
            if (mode == TenantMode.DATABASE) {
                tenantTemplate(); // the template's own rules, checked now rather than at the first tenant's borrow
            }
            return new TenantDataSource(this);
        }

        private void checkWeights(List<InvalidConfigException.Violation> wrong) {
            for (Map.Entry<String, Integer> e : weights.entrySet()) {
                String knob = WEIGHT_PREFIX + e.getKey();
                String problem = Tenant.problemWith(e.getKey());
                if (mode != TenantMode.DATABASE) {
                    wrong.add(new InvalidConfigException.Violation(knob, String.valueOf(e.getValue()),
                            "tenant weights are for DATABASE mode; in SCHEMA mode tenantMaximumPoolSize bounds each tenant"));
                    return;
                } else if (problem != null) {
                    wrong.add(new InvalidConfigException.Violation(knob, String.valueOf(e.getValue()), "tenantWeight: " + problem));
                } else if (e.getValue() < 1 || e.getValue() > 1000) {
                    wrong.add(new InvalidConfigException.Violation(knob, String.valueOf(e.getValue()),
                            "weight." + e.getKey() + "=" + e.getValue() + " must be between 1 and 1000"));
                }
            }
        }

        private void checkReserves(List<InvalidConfigException.Violation> wrong) {
            if (reserves.isEmpty()) {
                return;
            }
            if (mode != TenantMode.DATABASE) {
                wrong.add(new InvalidConfigException.Violation(RESERVE_PREFIX + reserves.keySet().iterator().next(), null,
                        "tenant reserves are for DATABASE mode; in SCHEMA mode every tenant borrows from the one shared pool"));
                return;
            }
            int sum = 0;
            for (Map.Entry<String, Integer> e : reserves.entrySet()) {
                String knob = RESERVE_PREFIX + e.getKey();
                String problem = Tenant.problemWith(e.getKey());
                if (problem != null) {
                    wrong.add(new InvalidConfigException.Violation(knob, String.valueOf(e.getValue()), "tenantReserve: " + problem));
                } else if (e.getValue() < 1 || e.getValue() > tenantMaximumPoolSize) {
                    wrong.add(new InvalidConfigException.Violation(knob, String.valueOf(e.getValue()), "reserve." + e.getKey() + "="
                            + e.getValue() + " must be between 1 and tenantMaximumPoolSize (" + tenantMaximumPoolSize + ")"));
                }
                sum += e.getValue();
            }
            if (sum > globalMaximumPoolSize - 1) {
                wrong.add(new InvalidConfigException.Violation(GLOBAL_MAXIMUM_POOL_SIZE, String.valueOf(globalMaximumPoolSize),
                        "globalMaximumPoolSize=" + globalMaximumPoolSize + " must be more than the tenant reserves together (" + sum
                        + " for " + reserves.size() + " tenants): at least " + (sum + 1) + ", so tenants without a reserve get a connection"));
            }
        }

        private static InvalidConfigException.Violation violation(String knob, Object value, String rule) {
            String shortName = knob.substring("tenants.".length());
            return new InvalidConfigException.Violation(knob, String.valueOf(value), shortName + "=" + value + " " + rule);
        }

        /** A tenant pool's configuration but its URL: the per-tenant limit, no minimum, no start-up check (the budget would not see it). */
        SluiceConfig tenantTemplate() {
            return template.toBuilder()
                    .maximumPoolSize(tenantMaximumPoolSize)
                    .minimumIdle(0)
                    .initializationFailTimeout(Duration.ofMillis(-1))
                    .build();
        }
    }
}
