package dev.sluice.spring.boot;

import dev.sluice.BorrowStack;
import dev.sluice.NestedAcquisition;
import dev.sluice.PgBouncerMode;
import dev.sluice.Sizing;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Sluice's knobs under {@code spring.datasource.sluice.*}, in kebab-case ({@code maximum-pool-size},
 * {@code connection-timeout=30s}). The connection itself comes from {@code spring.datasource.url},
 * {@code .username}, {@code .password}, {@code .driver-class-name} and {@code .name} (the pool name).
 *
 * <p>The defaults written here are Sluice's own (a test pins them to {@code SluiceConfig}'s), so an
 * IDE shows them. Durations without a unit are milliseconds, as in HikariCP. Values are checked by
 * Sluice when the pool is built, and a bad one stops the application with the knob, the value and
 * the allowed range. Unknown names under the prefix fail too, so a typo cannot silently leave a knob
 * at its default.
 */
@ConfigurationProperties(prefix = SluiceProperties.PREFIX, ignoreUnknownFields = false)
public class SluiceProperties {

    /** The prefix of every property of this class. */
    public static final String PREFIX = "spring.datasource.sluice";

    /**
     * Name of the pool in logs, metrics, JMX and thread names. Overrides spring.datasource.name;
     * default sluice-N.
     */
    private String poolName;

    /** Most connections open at once, idle and in use. Range 1-10000. */
    private int maximumPoolSize = 10;

    /** Idle connections kept ready. Default: maximum-pool-size; range 0 to maximum-pool-size. */
    private Integer minimumIdle;

    /**
     * Idle connections beyond this are closed when returned (Go's SetMaxIdleConns). Default:
     * maximum-pool-size; range minimum-idle to maximum-pool-size.
     */
    private Integer maxIdle;

    /** Longest getConnection() waits; also the budget of one connect attempt. At least 50ms. */
    private Duration connectionTimeout = Duration.ofSeconds(30);

    /**
     * Longest a validation may take. Default 5s, or connection-timeout if shorter; range 50ms to
     * connection-timeout.
     */
    private Duration validationTimeout;

    /**
     * A connection used more recently than this is handed out without validation; one idle longer
     * is validated first. Range 0 (always validate) to 1m.
     */
    private Duration validationBypassWindow = Duration.ofMillis(500);

    /** Validation query, for drivers without a good Connection.isValid; by default isValid is used. */
    private String connectionTestQuery;

    /**
     * Idle connections above minimum-idle are closed after this. 0 = never, else at least 1s and
     * less than max-lifetime.
     */
    private Duration idleTimeout = Duration.ofMinutes(10);

    /**
     * Any connection idle longer is closed and replaced if minimum-idle requires (Go's
     * SetConnMaxIdleTime). 0 = off, else at least 1s.
     */
    private Duration maxIdleTime = Duration.ZERO;

    /**
     * Age at which a connection is retired, with per-connection jitter and at most a quarter of the
     * pool retired per second. 0 = never, else at least 1s.
     */
    private Duration maxLifetime = Duration.ofMinutes(30);

    /**
     * Idle connections are validated this often, below server and NAT idle limits. 0 = off, else at
     * least 1s and less than max-lifetime.
     */
    private Duration keepaliveTime = Duration.ofMinutes(2);

    /**
     * A connection held longer is reported as a possible leak, naming where it was borrowed. 0 = off,
     * else at least 100ms.
     */
    private Duration leakDetectionThreshold = Duration.ZERO;

    /**
     * What leak detection records at each borrow: FRAME, the borrower's frame only (cheap, whatever
     * the stack's depth), or FULL, the borrower's whole stack.
     */
    private BorrowStack leakDetectionStacks = BorrowStack.FRAME;

    /**
     * A connection held longer is aborted and its slot reclaimed. Set it well above the longest
     * transaction: it kills a slow one mid-flight. 0 = off, else at least 100ms and more than
     * leak-detection-threshold.
     */
    private Duration abandonTimeout = Duration.ZERO;

    /**
     * Start-up check. Positive: keep trying to open a first connection this long, then fail the
     * application with a classified error. 0: one attempt. Negative (-1): no check, the pool starts
     * even when the database is down and connects once it answers. Default 1ms: one attempt.
     */
    private Duration initializationFailTimeout = Duration.ofMillis(1);

    /** How long closing the pool (at application shutdown) waits for borrowed connections before aborting them. */
    private Duration shutdownTimeout = Duration.ofSeconds(5);

    /** Period of the idle, keepalive and minimum-idle check; shortened automatically for short idle knobs. At least 10ms. */
    private Duration housekeepingPeriod = Duration.ofSeconds(30);

    /** Connects running at once; bounds reconnect storms. Range 1-64. */
    private int maxConcurrentCreates = 2;

    /** Auto-commit state of connections handed out; restored on return. */
    private boolean autoCommit = true;

    /** Read-only state of connections handed out; restored on return. */
    private boolean readOnly;

    /**
     * Refuse a new connection unless it is on a writable primary (checked once after connect); on by
     * itself with a pgjdbc URL that has targetServerType=primary.
     */
    private boolean requirePrimary;

    /**
     * Isolation level: TRANSACTION_READ_COMMITTED, READ_COMMITTED, or the java.sql.Connection
     * constant. Default: the driver's.
     */
    private String transactionIsolation;

    /** Default catalog of connections handed out. Default: the driver's. */
    private String catalog;

    /** Default schema of connections handed out. Default: the driver's. */
    private String schema;

    /** SQL run once on every new connection. */
    private String connectionInitSql;

    /**
     * What to do when a thread holding a connection waits for a second one of the same pool (a
     * deadlock risk): ALLOW says nothing, WARN logs both call sites, FAIL throws at once.
     */
    private NestedAcquisition nestedAcquisition = NestedAcquisition.WARN;

    /**
     * Register the pool's MXBean dev.sluice:type=Pool,name=POOL. Default: follows spring.jmx.enabled.
     */
    private Boolean registerMbeans;

    /**
     * Consecutive connect failures that open the circuit breaker: callers who would wait for a new
     * connection then fail at once with BREAKER_OPEN while a probe checks the database. 0 switches
     * the breaker off; at most 1000.
     */
    private int breakerFailureThreshold = 3;

    /**
     * The breaker also opens when this percentage of connect attempts within breaker-window failed
     * (at least 10 attempts). 0 switches this rule off; at most 100.
     */
    private int breakerFailureRateThreshold = 50;

    /** Window of the breaker's failure-rate rule. At least 1s. */
    private Duration breakerWindow = Duration.ofSeconds(10);

    /** Longest pause between probes while the breaker is open (they start at 20ms and double). Range 20ms-5m. */
    private Duration breakerMaxProbeInterval = Duration.ofMillis(100);

    /**
     * How the pool chooses its size: FIXED as configured, ADAPTIVE from measured load between
     * minimum-idle and maximum-pool-size, ADVISORY logs the adaptive decisions without applying them.
     */
    private Sizing sizing = Sizing.FIXED;

    /** Spare capacity on top of the load-derived adaptive target. Range 1.0-10. */
    private double sizingHeadroom = 1.5;

    /** One adaptive sizing decision per interval. Range 100ms-1m. */
    private Duration sizingInterval = Duration.ofSeconds(1);

    /**
     * Application instances sharing the database: adaptive sizing keeps this pool within the
     * server's connection limit divided by it. Range 1-10000.
     */
    private int sizingInstances = 1;

    /**
     * The PgBouncer pool mode in front of PostgreSQL: OFF, TRANSACTION (no server-side prepared
     * statements, session state refused at start) or SESSION.
     */
    private PgBouncerMode pgbouncer = PgBouncerMode.OFF;

    /**
     * The fleet this instance belongs to: instances with the same fleet name share one connection
     * budget on the database, each keeping to a fair share of it (PostgreSQL). 1-16 characters:
     * letters, digits, '_' and '-'. Unset: sizing-instances divides the server's limit statically.
     */
    private String fleet;

    /** This instance's id within its fleet. Default: host name and process id. 1-20 characters: letters, digits, '_' and '-'. */
    private String fleetInstance;

    /** Server connections for the whole fleet. 0 (default): derived from the server's and the role's limits. Range 0 or 2-100000. */
    private int fleetBudget;

    /** How often a fleet member looks at the fleet and moves its share. Range 50ms-1m. */
    private Duration fleetInterval = Duration.ofMillis(500);

    /**
     * Driver properties passed on every connect (HikariCP's data-source-properties); they win over
     * the connect timeouts Sluice derives.
     */
    private Map<String, String> dataSourceProperties = new LinkedHashMap<>();

    public String getPoolName() {
        return poolName;
    }

    public void setPoolName(String poolName) {
        this.poolName = poolName;
    }

    public int getMaximumPoolSize() {
        return maximumPoolSize;
    }

    public void setMaximumPoolSize(int maximumPoolSize) {
        this.maximumPoolSize = maximumPoolSize;
    }

    public Integer getMinimumIdle() {
        return minimumIdle;
    }

    public void setMinimumIdle(Integer minimumIdle) {
        this.minimumIdle = minimumIdle;
    }

    public Integer getMaxIdle() {
        return maxIdle;
    }

    public void setMaxIdle(Integer maxIdle) {
        this.maxIdle = maxIdle;
    }

    public Duration getConnectionTimeout() {
        return connectionTimeout;
    }

    public void setConnectionTimeout(Duration connectionTimeout) {
        this.connectionTimeout = connectionTimeout;
    }

    public Duration getValidationTimeout() {
        return validationTimeout;
    }

    public void setValidationTimeout(Duration validationTimeout) {
        this.validationTimeout = validationTimeout;
    }

    public Duration getValidationBypassWindow() {
        return validationBypassWindow;
    }

    public void setValidationBypassWindow(Duration validationBypassWindow) {
        this.validationBypassWindow = validationBypassWindow;
    }

    public String getConnectionTestQuery() {
        return connectionTestQuery;
    }

    public void setConnectionTestQuery(String connectionTestQuery) {
        this.connectionTestQuery = connectionTestQuery;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public Duration getMaxIdleTime() {
        return maxIdleTime;
    }

    public void setMaxIdleTime(Duration maxIdleTime) {
        this.maxIdleTime = maxIdleTime;
    }

    public Duration getMaxLifetime() {
        return maxLifetime;
    }

    public void setMaxLifetime(Duration maxLifetime) {
        this.maxLifetime = maxLifetime;
    }

    public Duration getKeepaliveTime() {
        return keepaliveTime;
    }

    public void setKeepaliveTime(Duration keepaliveTime) {
        this.keepaliveTime = keepaliveTime;
    }

    public BorrowStack getLeakDetectionStacks() {
        return leakDetectionStacks;
    }

    public void setLeakDetectionStacks(BorrowStack leakDetectionStacks) {
        this.leakDetectionStacks = leakDetectionStacks;
    }

    public Duration getLeakDetectionThreshold() {
        return leakDetectionThreshold;
    }

    public void setLeakDetectionThreshold(Duration leakDetectionThreshold) {
        this.leakDetectionThreshold = leakDetectionThreshold;
    }

    public Duration getAbandonTimeout() {
        return abandonTimeout;
    }

    public void setAbandonTimeout(Duration abandonTimeout) {
        this.abandonTimeout = abandonTimeout;
    }

    public Duration getInitializationFailTimeout() {
        return initializationFailTimeout;
    }

    public void setInitializationFailTimeout(Duration initializationFailTimeout) {
        this.initializationFailTimeout = initializationFailTimeout;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public Duration getHousekeepingPeriod() {
        return housekeepingPeriod;
    }

    public void setHousekeepingPeriod(Duration housekeepingPeriod) {
        this.housekeepingPeriod = housekeepingPeriod;
    }

    public int getMaxConcurrentCreates() {
        return maxConcurrentCreates;
    }

    public void setMaxConcurrentCreates(int maxConcurrentCreates) {
        this.maxConcurrentCreates = maxConcurrentCreates;
    }

    public boolean isAutoCommit() {
        return autoCommit;
    }

    public void setAutoCommit(boolean autoCommit) {
        this.autoCommit = autoCommit;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    public void setReadOnly(boolean readOnly) {
        this.readOnly = readOnly;
    }

    public boolean isRequirePrimary() {
        return requirePrimary;
    }

    public void setRequirePrimary(boolean requirePrimary) {
        this.requirePrimary = requirePrimary;
    }

    public String getTransactionIsolation() {
        return transactionIsolation;
    }

    public void setTransactionIsolation(String transactionIsolation) {
        this.transactionIsolation = transactionIsolation;
    }

    public String getCatalog() {
        return catalog;
    }

    public void setCatalog(String catalog) {
        this.catalog = catalog;
    }

    public String getSchema() {
        return schema;
    }

    public void setSchema(String schema) {
        this.schema = schema;
    }

    public String getConnectionInitSql() {
        return connectionInitSql;
    }

    public void setConnectionInitSql(String connectionInitSql) {
        this.connectionInitSql = connectionInitSql;
    }

    public NestedAcquisition getNestedAcquisition() {
        return nestedAcquisition;
    }

    public void setNestedAcquisition(NestedAcquisition nestedAcquisition) {
        this.nestedAcquisition = nestedAcquisition;
    }

    public Boolean getRegisterMbeans() {
        return registerMbeans;
    }

    public void setRegisterMbeans(Boolean registerMbeans) {
        this.registerMbeans = registerMbeans;
    }

    public int getBreakerFailureThreshold() {
        return breakerFailureThreshold;
    }

    public void setBreakerFailureThreshold(int breakerFailureThreshold) {
        this.breakerFailureThreshold = breakerFailureThreshold;
    }

    public int getBreakerFailureRateThreshold() {
        return breakerFailureRateThreshold;
    }

    public void setBreakerFailureRateThreshold(int breakerFailureRateThreshold) {
        this.breakerFailureRateThreshold = breakerFailureRateThreshold;
    }

    public Duration getBreakerWindow() {
        return breakerWindow;
    }

    public void setBreakerWindow(Duration breakerWindow) {
        this.breakerWindow = breakerWindow;
    }

    public Duration getBreakerMaxProbeInterval() {
        return breakerMaxProbeInterval;
    }

    public void setBreakerMaxProbeInterval(Duration breakerMaxProbeInterval) {
        this.breakerMaxProbeInterval = breakerMaxProbeInterval;
    }

    public Sizing getSizing() {
        return sizing;
    }

    public void setSizing(Sizing sizing) {
        this.sizing = sizing;
    }

    public double getSizingHeadroom() {
        return sizingHeadroom;
    }

    public void setSizingHeadroom(double sizingHeadroom) {
        this.sizingHeadroom = sizingHeadroom;
    }

    public Duration getSizingInterval() {
        return sizingInterval;
    }

    public void setSizingInterval(Duration sizingInterval) {
        this.sizingInterval = sizingInterval;
    }

    public int getSizingInstances() {
        return sizingInstances;
    }

    public void setSizingInstances(int sizingInstances) {
        this.sizingInstances = sizingInstances;
    }

    public PgBouncerMode getPgbouncer() {
        return pgbouncer;
    }

    public void setPgbouncer(PgBouncerMode pgbouncer) {
        this.pgbouncer = pgbouncer;
    }

    public String getFleet() {
        return fleet;
    }

    public void setFleet(String fleet) {
        this.fleet = fleet;
    }

    public String getFleetInstance() {
        return fleetInstance;
    }

    public void setFleetInstance(String fleetInstance) {
        this.fleetInstance = fleetInstance;
    }

    public int getFleetBudget() {
        return fleetBudget;
    }

    public void setFleetBudget(int fleetBudget) {
        this.fleetBudget = fleetBudget;
    }

    public Duration getFleetInterval() {
        return fleetInterval;
    }

    public void setFleetInterval(Duration fleetInterval) {
        this.fleetInterval = fleetInterval;
    }

    public Map<String, String> getDataSourceProperties() {
        return dataSourceProperties;
    }

    public void setDataSourceProperties(Map<String, String> dataSourceProperties) {
        this.dataSourceProperties = dataSourceProperties;
    }

    /** The live web console, when sluice-console is on the class path: spring.datasource.sluice.console.*. */
    private final Console console = new Console();

    public Console getConsole() {
        return console;
    }

    /** Tenant routing: spring.datasource.sluice.tenants.*. */
    @NestedConfigurationProperty
    private final SluiceTenantProperties tenants = new SluiceTenantProperties();

    public SluiceTenantProperties getTenants() {
        return tenants;
    }

    /** {@code spring.datasource.sluice.console.*}: the live web console over the application's Sluice pools. */
    public static class Console {
        /**
         * Serve the live web console (needs dev.sluice:sluice-console on the class path, and a token or
         * a password-hash).
         */
        private boolean enabled;

        /** The console's TCP port; 0 picks a free one. */
        private int port = 8079;

        /** The address the console listens on; any other than the loopback is logged as a warning. */
        private String bindAddress = "127.0.0.1";

        /**
         * The access token (at least 22 characters) for the Authorization: Bearer header and the
         * login page. Supply it from a secret store or the environment, never from a committed file.
         */
        private String token;

        /** A password's PBKDF2 hash, as ConsolePassword.hash makes it, for the login page. */
        private String passwordHash;

        /** Allow evict, resize, suspend and resume from the console (each is audited). */
        private boolean actions;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public String getBindAddress() {
            return bindAddress;
        }

        public void setBindAddress(String bindAddress) {
            this.bindAddress = bindAddress;
        }

        public String getToken() {
            return token;
        }

        public void setToken(String token) {
            this.token = token;
        }

        public String getPasswordHash() {
            return passwordHash;
        }

        public void setPasswordHash(String passwordHash) {
            this.passwordHash = passwordHash;
        }

        public boolean isActions() {
            return actions;
        }

        public void setActions(boolean actions) {
            this.actions = actions;
        }

        @Override
        public String toString() {
            return "Console[enabled=" + enabled + ", port=" + port + ", bindAddress=" + bindAddress + ", actions=" + actions
                    + "]"; // never the token or the hash
        }
    }
}
