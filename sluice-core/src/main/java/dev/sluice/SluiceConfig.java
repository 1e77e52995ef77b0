package dev.sluice;

import java.sql.Connection;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The immutable configuration of a pool. Build it with {@link #builder()}, or from HikariCP-style
 * {@link Properties} with {@link #fromProperties(Properties)}. Every knob is checked when it is
 * set, and the rules between knobs when {@link Builder#build()} runs; a bad value fails with an
 * {@link IllegalArgumentException} naming the knob, the value and the allowed range.
 *
 * <p>Durations given as numbers (in {@code Properties}) are milliseconds, as in HikariCP; strings
 * such as {@code 30s}, {@code 500ms}, {@code 2m} or ISO-8601 {@code PT30S} are accepted too.
 */
public final class SluiceConfig {
    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

    static final int MAX_POOL_SIZE_LIMIT = 10_000;
    static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(50);
    static final Duration MIN_VALIDATION_TIMEOUT = Duration.ofMillis(50);
    static final Duration MIN_AGE_KNOB = Duration.ofSeconds(1);
    static final Duration MIN_LEAK_THRESHOLD = Duration.ofMillis(100);
    static final Duration MAX_BYPASS_WINDOW = Duration.ofMinutes(1);
    static final Duration MIN_HOUSEKEEPING_PERIOD = Duration.ofMillis(10);

    private final String poolName;
    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final String driverClassName;
    private final DataSource dataSource;
    private final Properties dataSourceProperties;
    private final int maximumPoolSize;
    private final int minimumIdle;
    private final int maxIdle;
    private final Duration connectionTimeout;
    private final Duration validationTimeout;
    private final Duration idleTimeout;
    private final Duration maxIdleTime;
    private final Duration maxLifetime;
    private final Duration keepaliveTime;
    private final Duration validationBypassWindow;
    private final Duration leakDetectionThreshold;
    private final Duration initializationFailTimeout;
    private final Duration shutdownTimeout;
    private final Duration housekeepingPeriod;
    private final int maxConcurrentCreates;
    private final boolean autoCommit;
    private final boolean readOnly;
    private final Integer transactionIsolation;
    private final String catalog;
    private final String schema;
    private final String connectionInitSql;
    private final String connectionTestQuery;
    private final Duration abandonTimeout;
    private final NestedAcquisition nestedAcquisition;
    private final boolean registerMbeans;
    private final List<PoolListener> listeners;
    private final Supplier<?> borrowContext;
    private final int breakerFailureThreshold;
    private final int breakerFailureRateThreshold;
    private final Duration breakerWindow;
    private final Duration breakerMaxProbeInterval;
    private final Sizing sizing;
    private final double sizingHeadroom;
    private final Duration sizingInterval;
    private final int sizingInstances;

    private SluiceConfig(Builder b) {
        this.poolName = b.poolName != null ? b.poolName : "sluice-" + POOL_NUMBER.incrementAndGet();
        this.jdbcUrl = b.jdbcUrl;
        this.username = b.username;
        this.password = b.password;
        this.driverClassName = b.driverClassName;
        this.dataSource = b.dataSource;
        this.dataSourceProperties = copy(b.dataSourceProperties);
        this.maximumPoolSize = b.maximumPoolSize;
        this.minimumIdle = b.minimumIdle != null ? b.minimumIdle : b.maximumPoolSize;
        this.maxIdle = b.maxIdle != null ? b.maxIdle : b.maximumPoolSize;
        this.connectionTimeout = b.connectionTimeout;
        this.validationTimeout = b.effectiveValidationTimeout();
        this.idleTimeout = b.idleTimeout;
        this.maxIdleTime = b.maxIdleTime;
        this.maxLifetime = b.maxLifetime;
        this.keepaliveTime = b.keepaliveTime;
        this.validationBypassWindow = b.validationBypassWindow;
        this.leakDetectionThreshold = b.leakDetectionThreshold;
        this.initializationFailTimeout = b.initializationFailTimeout;
        this.shutdownTimeout = b.shutdownTimeout;
        this.housekeepingPeriod = b.housekeepingPeriod;
        this.maxConcurrentCreates = b.maxConcurrentCreates;
        this.autoCommit = b.autoCommit;
        this.readOnly = b.readOnly;
        this.transactionIsolation = b.transactionIsolation;
        this.catalog = b.catalog;
        this.schema = b.schema;
        this.connectionInitSql = b.connectionInitSql;
        this.connectionTestQuery = b.connectionTestQuery;
        this.abandonTimeout = b.abandonTimeout;
        this.nestedAcquisition = b.nestedAcquisition;
        this.registerMbeans = b.registerMbeans;
        this.listeners = List.copyOf(b.listeners);
        this.borrowContext = b.borrowContext;
        this.breakerFailureThreshold = b.breakerFailureThreshold;
        this.breakerFailureRateThreshold = b.breakerFailureRateThreshold;
        this.breakerWindow = b.breakerWindow;
        this.breakerMaxProbeInterval = b.breakerMaxProbeInterval;
        this.sizing = b.sizing;
        this.sizingHeadroom = b.sizingHeadroom;
        this.sizingInterval = b.sizingInterval;
        this.sizingInstances = b.sizingInstances;
    }

    /** A builder with every knob at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset from this configuration, for variations. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.poolName = poolName;
        b.jdbcUrl = jdbcUrl;
        b.username = username;
        b.password = password;
        b.driverClassName = driverClassName;
        b.dataSource = dataSource;
        b.dataSourceProperties = copy(dataSourceProperties);
        b.maximumPoolSize = maximumPoolSize;
        b.minimumIdle = minimumIdle;
        b.maxIdle = maxIdle;
        b.connectionTimeout = connectionTimeout;
        b.validationTimeout = validationTimeout;
        b.idleTimeout = idleTimeout;
        b.maxIdleTime = maxIdleTime;
        b.maxLifetime = maxLifetime;
        b.keepaliveTime = keepaliveTime;
        b.validationBypassWindow = validationBypassWindow;
        b.leakDetectionThreshold = leakDetectionThreshold;
        b.initializationFailTimeout = initializationFailTimeout;
        b.shutdownTimeout = shutdownTimeout;
        b.housekeepingPeriod = housekeepingPeriod;
        b.maxConcurrentCreates = maxConcurrentCreates;
        b.autoCommit = autoCommit;
        b.readOnly = readOnly;
        b.transactionIsolation = transactionIsolation;
        b.catalog = catalog;
        b.schema = schema;
        b.connectionInitSql = connectionInitSql;
        b.connectionTestQuery = connectionTestQuery;
        b.abandonTimeout = abandonTimeout;
        b.nestedAcquisition = nestedAcquisition;
        b.registerMbeans = registerMbeans;
        b.listeners.addAll(listeners);
        b.borrowContext = borrowContext;
        b.breakerFailureThreshold = breakerFailureThreshold;
        b.breakerFailureRateThreshold = breakerFailureRateThreshold;
        b.breakerWindow = breakerWindow;
        b.breakerMaxProbeInterval = breakerMaxProbeInterval;
        b.sizing = sizing;
        b.sizingHeadroom = sizingHeadroom;
        b.sizingInterval = sizingInterval;
        b.sizingInstances = sizingInstances;
        return b;
    }

    /**
     * Reads a configuration from HikariCP-compatible property names (see {@link Builder} for each
     * knob; {@code dataSource.<name>} entries become driver properties). An unknown name fails
     * rather than being ignored, so a typo cannot silently leave a knob at its default.
     */
    public static SluiceConfig fromProperties(Properties properties) {
        Objects.requireNonNull(properties, "properties");
        Builder b = builder();
        for (String name : new TreeSet<>(properties.stringPropertyNames())) {
            PropertyBinding.apply(b, name, properties.getProperty(name));
        }
        Object nested = properties.get("dataSourceProperties");
        if (nested instanceof Properties p) {
            b.dataSourceProperties(p);
        }
        return b.build();
    }

    /** The names {@link #fromProperties(Properties)} accepts. */
    public static Set<String> propertyNames() {
        return PropertyBinding.NAMES;
    }

    public String poolName() { return poolName; }
    public String jdbcUrl() { return jdbcUrl; }
    public String username() { return username; }
    /** The password, for the pool's own use when connecting. Never logged or shown. */
    public String password() { return password; }
    public String driverClassName() { return driverClassName; }
    public DataSource dataSource() { return dataSource; }
    /** A copy of the driver properties. */
    public Properties dataSourceProperties() { return copy(dataSourceProperties); }
    public int maximumPoolSize() { return maximumPoolSize; }
    public int minimumIdle() { return minimumIdle; }
    public int maxIdle() { return maxIdle; }
    public Duration connectionTimeout() { return connectionTimeout; }
    public Duration validationTimeout() { return validationTimeout; }
    public Duration idleTimeout() { return idleTimeout; }
    public Duration maxIdleTime() { return maxIdleTime; }
    public Duration maxLifetime() { return maxLifetime; }
    public Duration keepaliveTime() { return keepaliveTime; }
    public Duration validationBypassWindow() { return validationBypassWindow; }
    public Duration leakDetectionThreshold() { return leakDetectionThreshold; }
    public Duration initializationFailTimeout() { return initializationFailTimeout; }
    public Duration shutdownTimeout() { return shutdownTimeout; }
    public Duration housekeepingPeriod() { return housekeepingPeriod; }
    public int maxConcurrentCreates() { return maxConcurrentCreates; }
    public boolean autoCommit() { return autoCommit; }
    public boolean readOnly() { return readOnly; }
    /** The isolation level as a {@link Connection} constant, or {@code null} for the driver's default. */
    public Integer transactionIsolation() { return transactionIsolation; }
    public String catalog() { return catalog; }
    public String schema() { return schema; }
    public String connectionInitSql() { return connectionInitSql; }
    public String connectionTestQuery() { return connectionTestQuery; }
    public Duration abandonTimeout() { return abandonTimeout; }
    public NestedAcquisition nestedAcquisition() { return nestedAcquisition; }
    public boolean registerMbeans() { return registerMbeans; }
    public List<PoolListener> listeners() { return listeners; }
    /** Supplies caller context (a trace id, an MDC copy) recorded at borrow when leak detection is on; may be null. */
    public Supplier<?> borrowContext() { return borrowContext; }
    public int breakerFailureThreshold() { return breakerFailureThreshold; }
    public int breakerFailureRateThreshold() { return breakerFailureRateThreshold; }
    public Duration breakerWindow() { return breakerWindow; }
    public Duration breakerMaxProbeInterval() { return breakerMaxProbeInterval; }
    public Sizing sizing() { return sizing; }
    public double sizingHeadroom() { return sizingHeadroom; }
    public Duration sizingInterval() { return sizingInterval; }
    public int sizingInstances() { return sizingInstances; }

    @Override
    public String toString() {
        return "SluiceConfig[poolName=" + poolName
                + ", jdbcUrl=" + dev.sluice.internal.Redaction.url(jdbcUrl)
                + ", username=" + username
                + ", password=" + (password == null ? "<none>" : "<hidden>")
                + ", dataSourceProperties=" + dev.sluice.internal.Redaction.redact(dataSourceProperties)
                + ", maximumPoolSize=" + maximumPoolSize
                + ", minimumIdle=" + minimumIdle
                + ", maxIdle=" + maxIdle
                + ", connectionTimeout=" + connectionTimeout.toMillis() + "ms"
                + ", validationTimeout=" + validationTimeout.toMillis() + "ms"
                + ", idleTimeout=" + idleTimeout.toMillis() + "ms"
                + ", maxIdleTime=" + maxIdleTime.toMillis() + "ms"
                + ", maxLifetime=" + maxLifetime.toMillis() + "ms"
                + ", keepaliveTime=" + keepaliveTime.toMillis() + "ms"
                + ", validationBypassWindow=" + validationBypassWindow.toMillis() + "ms"
                + ", leakDetectionThreshold=" + leakDetectionThreshold.toMillis() + "ms"
                + ", abandonTimeout=" + abandonTimeout.toMillis() + "ms"
                + ", nestedAcquisition=" + nestedAcquisition
                + ", breakerFailureThreshold=" + breakerFailureThreshold
                + ", breakerFailureRateThreshold=" + breakerFailureRateThreshold + "%"
                + ", breakerWindow=" + breakerWindow.toMillis() + "ms"
                + ", breakerMaxProbeInterval=" + breakerMaxProbeInterval.toMillis() + "ms"
                + ", sizing=" + sizing
                + ", initializationFailTimeout=" + initializationFailTimeout.toMillis() + "ms"
                + ", autoCommit=" + autoCommit
                + ", readOnly=" + readOnly
                + ", transactionIsolation=" + transactionIsolation
                + "]";
    }

    private static Properties copy(Properties p) {
        Properties c = new Properties();
        if (p != null) {
            for (Map.Entry<Object, Object> e : p.entrySet()) {
                c.put(e.getKey(), e.getValue());
            }
        }
        return c;
    }

    /**
     * Fluent builder. Each setter validates its own value at once; {@link #build()} checks the
     * rules between knobs.
     */
    public static final class Builder {
        private String poolName;
        private String jdbcUrl;
        private String username;
        private String password;
        private String driverClassName;
        private DataSource dataSource;
        private Properties dataSourceProperties = new Properties();
        private int maximumPoolSize = 10;
        private Integer minimumIdle;
        private Integer maxIdle;
        private Duration connectionTimeout = Duration.ofSeconds(30);
        /** Null until set: the default, 5 s, is capped at connectionTimeout instead of failing the build. */
        private Duration validationTimeout;
        private Duration idleTimeout = Duration.ofMinutes(10);
        private Duration maxIdleTime = Duration.ZERO;
        private Duration maxLifetime = Duration.ofMinutes(30);
        private Duration keepaliveTime = Duration.ofMinutes(2);
        private Duration validationBypassWindow = Duration.ofMillis(500);
        private Duration leakDetectionThreshold = Duration.ZERO;
        private Duration initializationFailTimeout = Duration.ofMillis(1);
        private Duration shutdownTimeout = Duration.ofSeconds(5);
        private Duration housekeepingPeriod = Duration.ofSeconds(30);
        private int maxConcurrentCreates = 2;
        private boolean autoCommit = true;
        private boolean readOnly;
        private Integer transactionIsolation;
        private String catalog;
        private String schema;
        private String connectionInitSql;
        private String connectionTestQuery;
        private Duration abandonTimeout = Duration.ZERO;
        private NestedAcquisition nestedAcquisition = NestedAcquisition.WARN;
        private boolean registerMbeans;
        private final List<PoolListener> listeners = new ArrayList<>();
        private Supplier<?> borrowContext;
        private int breakerFailureThreshold = 3;
        private int breakerFailureRateThreshold = 50;
        private Duration breakerWindow = Duration.ofSeconds(10);
        private Duration breakerMaxProbeInterval = Duration.ofMillis(100);
        private Sizing sizing = Sizing.FIXED;
        private double sizingHeadroom = 1.5;
        private Duration sizingInterval = Duration.ofSeconds(1);
        private int sizingInstances = 1;

        private Builder() {
        }

        /** Name used in logs, metrics, JMX and thread names. Default {@code sluice-<n>}. */
        public Builder poolName(String v) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("poolName=" + quote(v) + " must be a non-blank string");
            }
            this.poolName = v;
            return this;
        }

        /** The JDBC URL. Required unless {@link #dataSource(DataSource)} is set. */
        public Builder jdbcUrl(String v) {
            if (v == null || !v.startsWith("jdbc:")) {
                throw new IllegalArgumentException("jdbcUrl=" + quote(v) + " must start with 'jdbc:'");
            }
            this.jdbcUrl = v;
            return this;
        }

        public Builder username(String v) {
            this.username = v;
            return this;
        }

        public Builder password(String v) {
            this.password = v;
            return this;
        }

        /** Optional: the driver class to load, if the driver does not register itself. */
        public Builder driverClassName(String v) {
            this.driverClassName = blankToNull(v);
            return this;
        }

        /** Connect through this DataSource instead of a JDBC URL and driver. */
        public Builder dataSource(DataSource v) {
            this.dataSource = v;
            return this;
        }

        /** Driver properties passed on every connect; they win over the timeouts Sluice derives. */
        public Builder dataSourceProperties(Properties v) {
            this.dataSourceProperties = copy(v);
            return this;
        }

        /** One driver property; see {@link #dataSourceProperties(Properties)}. */
        public Builder dataSourceProperty(String name, String value) {
            this.dataSourceProperties.setProperty(name, value);
            return this;
        }

        /** Most connections open at once, idle and in use. Default 10, range 1–10000. */
        public Builder maximumPoolSize(int v) {
            if (v < 1 || v > MAX_POOL_SIZE_LIMIT) {
                throw new IllegalArgumentException("maximumPoolSize=" + v + " must be between 1 and " + MAX_POOL_SIZE_LIMIT);
            }
            this.maximumPoolSize = v;
            return this;
        }

        /** Idle connections kept ready. Default: maximumPoolSize; range 0–maximumPoolSize. */
        public Builder minimumIdle(int v) {
            if (v < 0 || v > MAX_POOL_SIZE_LIMIT) {
                throw new IllegalArgumentException("minimumIdle=" + v + " must be between 0 and maximumPoolSize");
            }
            this.minimumIdle = v;
            return this;
        }

        /**
         * Go's {@code SetMaxIdleConns}: idle connections beyond this are closed when returned.
         * Default: maximumPoolSize; range minimumIdle–maximumPoolSize.
         */
        public Builder maxIdle(int v) {
            if (v < 0 || v > MAX_POOL_SIZE_LIMIT) {
                throw new IllegalArgumentException("maxIdle=" + v + " must be between minimumIdle and maximumPoolSize");
            }
            this.maxIdle = v;
            return this;
        }

        /** Longest {@code getConnection()} waits. Default 30 s, at least 50 ms. */
        public Builder connectionTimeout(Duration v) {
            this.connectionTimeout = atLeast("connectionTimeout", v, MIN_CONNECTION_TIMEOUT);
            return this;
        }

        /** Longest a validation may take. Default 5 s (connectionTimeout if shorter), at least 50 ms, at most connectionTimeout. */
        public Builder validationTimeout(Duration v) {
            this.validationTimeout = atLeast("validationTimeout", v, MIN_VALIDATION_TIMEOUT);
            return this;
        }

        /** Idle connections above minimumIdle are closed after this. Default 10 min; 0 = never, else at least 1 s. */
        public Builder idleTimeout(Duration v) {
            this.idleTimeout = zeroOrAtLeast("idleTimeout", v, MIN_AGE_KNOB);
            return this;
        }

        /**
         * Go's {@code SetConnMaxIdleTime}: any connection idle longer is closed (and replaced if
         * minimumIdle requires). Default 0 = off, else at least 1 s.
         */
        public Builder maxIdleTime(Duration v) {
            this.maxIdleTime = zeroOrAtLeast("maxIdleTime", v, MIN_AGE_KNOB);
            return this;
        }

        /** Connections are retired after this age, minus a per-connection jitter of up to 10%. Default 30 min; 0 = never, else at least 1 s. */
        public Builder maxLifetime(Duration v) {
            this.maxLifetime = zeroOrAtLeast("maxLifetime", v, MIN_AGE_KNOB);
            return this;
        }

        /** Idle connections are validated this often, below server and firewall idle limits. Default 2 min; 0 = off, else at least 1 s. */
        public Builder keepaliveTime(Duration v) {
            this.keepaliveTime = zeroOrAtLeast("keepaliveTime", v, MIN_AGE_KNOB);
            return this;
        }

        /**
         * A connection used more recently than this is handed out without validation; one idle
         * longer is validated first. Default 500 ms, range 0–1 min (0 = always validate).
         */
        public Builder validationBypassWindow(Duration v) {
            requireNonNegative("validationBypassWindow", v);
            if (v.compareTo(MAX_BYPASS_WINDOW) > 0) {
                throw new IllegalArgumentException("validationBypassWindow=" + fmt(v) + " must be between 0 and " + fmt(MAX_BYPASS_WINDOW));
            }
            this.validationBypassWindow = v;
            return this;
        }

        /** A connection held longer is reported as a possible leak, with the borrower's stack. Default 0 = off, else at least 100 ms. */
        public Builder leakDetectionThreshold(Duration v) {
            this.leakDetectionThreshold = zeroOrAtLeast("leakDetectionThreshold", v, MIN_LEAK_THRESHOLD);
            return this;
        }

        /**
         * Start-up check. Positive: the constructor keeps trying to open a first connection for this
         * long and fails with a classified error if it cannot. Zero: one attempt. Negative: no
         * check, the pool starts lazily. Default 1 ms (one attempt, as HikariCP).
         */
        public Builder initializationFailTimeout(Duration v) {
            this.initializationFailTimeout = Objects.requireNonNull(v, "initializationFailTimeout");
            return this;
        }

        /** How long {@code close()} waits for borrowed connections before aborting them. Default 5 s, at least 0. */
        public Builder shutdownTimeout(Duration v) {
            requireNonNegative("shutdownTimeout", v);
            this.shutdownTimeout = v;
            return this;
        }

        /** Period of the background check for idle, keepalive and minimumIdle. Default 30 s, at least 10 ms; shortened automatically for short idle knobs. */
        public Builder housekeepingPeriod(Duration v) {
            this.housekeepingPeriod = atLeast("housekeepingPeriod", v, MIN_HOUSEKEEPING_PERIOD);
            return this;
        }

        /** Connects running at once. Default 2, range 1–64. */
        public Builder maxConcurrentCreates(int v) {
            if (v < 1 || v > 64) {
                throw new IllegalArgumentException("maxConcurrentCreates=" + v + " must be between 1 and 64");
            }
            this.maxConcurrentCreates = v;
            return this;
        }

        /** Auto-commit state of connections handed out. Default true. */
        public Builder autoCommit(boolean v) {
            this.autoCommit = v;
            return this;
        }

        /** Read-only state of connections handed out. Default false. */
        public Builder readOnly(boolean v) {
            this.readOnly = v;
            return this;
        }

        /** Isolation level, a {@link Connection} {@code TRANSACTION_*} constant. Default: the driver's. */
        public Builder transactionIsolation(int v) {
            if (v != Connection.TRANSACTION_NONE && v != Connection.TRANSACTION_READ_UNCOMMITTED
                    && v != Connection.TRANSACTION_READ_COMMITTED && v != Connection.TRANSACTION_REPEATABLE_READ
                    && v != Connection.TRANSACTION_SERIALIZABLE) {
                throw new IllegalArgumentException("transactionIsolation=" + v
                        + " must be one of 0 (NONE), 1 (READ_UNCOMMITTED), 2 (READ_COMMITTED), 4 (REPEATABLE_READ), 8 (SERIALIZABLE)");
            }
            this.transactionIsolation = v;
            return this;
        }

        /** Isolation level by name: {@code TRANSACTION_READ_COMMITTED} or {@code READ_COMMITTED}, etc. */
        public Builder transactionIsolation(String v) {
            String n = v == null ? "" : v.trim().toUpperCase(Locale.ROOT).replace(' ', '_');
            if (n.startsWith("TRANSACTION_")) {
                n = n.substring("TRANSACTION_".length());
            }
            switch (n) {
                case "NONE" -> this.transactionIsolation = Connection.TRANSACTION_NONE;
                case "READ_UNCOMMITTED" -> this.transactionIsolation = Connection.TRANSACTION_READ_UNCOMMITTED;
                case "READ_COMMITTED" -> this.transactionIsolation = Connection.TRANSACTION_READ_COMMITTED;
                case "REPEATABLE_READ" -> this.transactionIsolation = Connection.TRANSACTION_REPEATABLE_READ;
                case "SERIALIZABLE" -> this.transactionIsolation = Connection.TRANSACTION_SERIALIZABLE;
                default -> {
                    try {
                        return transactionIsolation(Integer.parseInt(n));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("transactionIsolation=" + quote(v)
                                + " must be one of TRANSACTION_NONE, TRANSACTION_READ_UNCOMMITTED, TRANSACTION_READ_COMMITTED,"
                                + " TRANSACTION_REPEATABLE_READ, TRANSACTION_SERIALIZABLE", e);
                    }
                }
            }
            return this;
        }

        public Builder catalog(String v) {
            this.catalog = blankToNull(v);
            return this;
        }

        public Builder schema(String v) {
            this.schema = blankToNull(v);
            return this;
        }

        /** SQL run once on every new connection. */
        public Builder connectionInitSql(String v) {
            this.connectionInitSql = blankToNull(v);
            return this;
        }

        /** Validation query; by default {@link Connection#isValid(int)} is used, which is faster. */
        public Builder connectionTestQuery(String v) {
            this.connectionTestQuery = blankToNull(v);
            return this;
        }

        private Duration effectiveValidationTimeout() {
            if (validationTimeout != null) {
                return validationTimeout;
            }
            Duration byDefault = Duration.ofSeconds(5);
            return byDefault.compareTo(connectionTimeout) > 0 ? connectionTimeout : byDefault;
        }

        /**
         * Aborts and reclaims a connection held longer than this. Off by default: a slow but
         * legitimate transaction would be killed mid-flight, so set it well above your longest
         * transaction, and above leakDetectionThreshold. 0 = off, else at least 100 ms.
         */
        public Builder abandonTimeout(Duration v) {
            this.abandonTimeout = zeroOrAtLeast("abandonTimeout", v, MIN_LEAK_THRESHOLD);
            return this;
        }

        /** What to do when a thread holding a connection waits for a second one. Default WARN. */
        public Builder nestedAcquisition(NestedAcquisition v) {
            this.nestedAcquisition = Objects.requireNonNull(v, "nestedAcquisition");
            return this;
        }

        /** Nested acquisition policy by name: ALLOW, WARN or FAIL. */
        public Builder nestedAcquisition(String v) {
            for (NestedAcquisition n : NestedAcquisition.values()) {
                if (v != null && n.name().equalsIgnoreCase(v.trim())) {
                    return nestedAcquisition(n);
                }
            }
            throw new IllegalArgumentException("nestedAcquisition=" + quote(v) + " must be one of ALLOW, WARN, FAIL");
        }

        /** Registers a JMX MXBean {@code dev.sluice:type=Pool,name=<poolName>}. Default false. */
        public Builder registerMbeans(boolean v) {
            this.registerMbeans = v;
            return this;
        }

        /** Adds a listener for the pool's events; may be called several times. */
        public Builder listener(PoolListener v) {
            this.listeners.add(Objects.requireNonNull(v, "listener"));
            return this;
        }

        /**
         * Captures caller context at borrow time (e.g. {@code () -> MDC.getCopyOfContextMap()} or a
         * trace id) for leak reports. Called only while leak detection is on.
         */
        public Builder borrowContext(Supplier<?> v) {
            this.borrowContext = v;
            return this;
        }

        /**
         * Consecutive connect failures that open the circuit breaker. While it is open, borrowers
         * who would have to wait for a new connection fail at once with BREAKER_OPEN, and only a
         * probe connects. Default 3; 0 switches the breaker off; at most 1000.
         */
        public Builder breakerFailureThreshold(int v) {
            if (v < 0 || v > 1000) {
                throw new IllegalArgumentException("breakerFailureThreshold=" + v + " must be between 0 (off) and 1000");
            }
            this.breakerFailureThreshold = v;
            return this;
        }

        /**
         * The breaker also opens when this percentage of connect attempts within breakerWindow
         * failed (with at least 10 attempts). Default 50; 0 switches this rule off; at most 100.
         */
        public Builder breakerFailureRateThreshold(int v) {
            if (v < 0 || v > 100) {
                throw new IllegalArgumentException("breakerFailureRateThreshold=" + v + " must be between 0 (off) and 100 (percent)");
            }
            this.breakerFailureRateThreshold = v;
            return this;
        }

        /** The window of the failure-rate rule. Default 10 s, at least 1 s. */
        public Builder breakerWindow(Duration v) {
            this.breakerWindow = atLeast("breakerWindow", v, MIN_AGE_KNOB);
            return this;
        }

        /**
         * Longest pause between probes while the breaker is open (they start at 20 ms and double).
         * Short by default so the pool notices a recovered database within about this long.
         * Default 100 ms, range 20 ms–5 min.
         */
        public Builder breakerMaxProbeInterval(Duration v) {
            atLeast("breakerMaxProbeInterval", v, Duration.ofMillis(20));
            if (v.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("breakerMaxProbeInterval=" + fmt(v) + " must be between 20ms and 300s");
            }
            this.breakerMaxProbeInterval = v;
            return this;
        }

        /**
         * FIXED (default), ADAPTIVE (the pool sizes itself between minimumIdle and
         * maximumPoolSize from measured load) or ADVISORY (decisions are logged, not applied).
         */
        public Builder sizing(Sizing v) {
            this.sizing = Objects.requireNonNull(v, "sizing");
            return this;
        }

        /** Sizing mode by name: FIXED, ADAPTIVE or ADVISORY. */
        public Builder sizing(String v) {
            for (Sizing s : Sizing.values()) {
                if (v != null && s.name().equalsIgnoreCase(v.trim())) {
                    return sizing(s);
                }
            }
            throw new IllegalArgumentException("sizing=" + quote(v) + " must be one of FIXED, ADAPTIVE, ADVISORY");
        }

        /** Multiplier on the load-derived target and on on-demand growth (spare capacity for bursts). Default 1.5, range 1.0–10. */
        public Builder sizingHeadroom(double v) {
            if (!(v >= 1.0 && v <= 10.0)) {
                throw new IllegalArgumentException("sizingHeadroom=" + v + " must be between 1.0 and 10.0");
            }
            this.sizingHeadroom = v;
            return this;
        }

        /** Length of one sizing window (one decision per window). Default 1 s, range 100 ms–1 min. */
        public Builder sizingInterval(Duration v) {
            atLeast("sizingInterval", v, Duration.ofMillis(100));
            if (v.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("sizingInterval=" + fmt(v) + " must be between 100ms and 60s");
            }
            this.sizingInterval = v;
            return this;
        }

        /**
         * How many application instances share the database: adaptive sizing keeps this pool
         * within the server's connection limit divided by it. Default 1, range 1–10000.
         */
        public Builder sizingInstances(int v) {
            if (v < 1 || v > 10_000) {
                throw new IllegalArgumentException("sizingInstances=" + v + " must be between 1 and 10000");
            }
            this.sizingInstances = v;
            return this;
        }

        /** Checks the rules between knobs and returns the configuration. */
        public SluiceConfig build() {
            if (jdbcUrl == null && dataSource == null) {
                throw new IllegalArgumentException("jdbcUrl is required (or set dataSource)");
            }
            int min = minimumIdle != null ? minimumIdle : maximumPoolSize;
            if (min > maximumPoolSize) {
                throw new IllegalArgumentException("minimumIdle=" + min + " must be between 0 and maximumPoolSize=" + maximumPoolSize);
            }
            int mi = maxIdle != null ? maxIdle : maximumPoolSize;
            if (mi < min || mi > maximumPoolSize) {
                throw new IllegalArgumentException("maxIdle=" + mi + " must be between minimumIdle=" + min
                        + " and maximumPoolSize=" + maximumPoolSize);
            }
            if (validationTimeout != null && validationTimeout.compareTo(connectionTimeout) > 0) {
                throw new IllegalArgumentException("validationTimeout=" + fmt(validationTimeout)
                        + " must not exceed connectionTimeout=" + fmt(connectionTimeout));
            }
            if (!maxLifetime.isZero()) {
                if (!idleTimeout.isZero() && idleTimeout.compareTo(maxLifetime) >= 0) {
                    throw new IllegalArgumentException("idleTimeout=" + fmt(idleTimeout)
                            + " must be 0 or less than maxLifetime=" + fmt(maxLifetime));
                }
                if (!keepaliveTime.isZero() && keepaliveTime.compareTo(maxLifetime) >= 0) {
                    throw new IllegalArgumentException("keepaliveTime=" + fmt(keepaliveTime)
                            + " must be 0 or less than maxLifetime=" + fmt(maxLifetime));
                }
            }
            if (!abandonTimeout.isZero() && !leakDetectionThreshold.isZero() && abandonTimeout.compareTo(leakDetectionThreshold) <= 0) {
                throw new IllegalArgumentException("abandonTimeout=" + fmt(abandonTimeout)
                        + " must be 0 or more than leakDetectionThreshold=" + fmt(leakDetectionThreshold));
            }
            return new SluiceConfig(this);
        }

        private static Duration atLeast(String knob, Duration v, Duration min) {
            Objects.requireNonNull(v, knob);
            if (v.compareTo(min) < 0) {
                throw new IllegalArgumentException(knob + "=" + fmt(v) + " must be at least " + fmt(min));
            }
            return v;
        }

        private static Duration zeroOrAtLeast(String knob, Duration v, Duration min) {
            Objects.requireNonNull(v, knob);
            if (!v.isZero() && v.compareTo(min) < 0) {
                throw new IllegalArgumentException(knob + "=" + fmt(v) + " must be 0 (off) or at least " + fmt(min));
            }
            return v;
        }

        private static void requireNonNegative(String knob, Duration v) {
            Objects.requireNonNull(v, knob);
            if (v.isNegative()) {
                throw new IllegalArgumentException(knob + "=" + fmt(v) + " must not be negative");
            }
        }

        private static String blankToNull(String v) {
            return v == null || v.isBlank() ? null : v;
        }
    }

    static String fmt(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        long ms = d.toMillis();
        if (ms % 1000 == 0 && ms != 0) {
            return (ms / 1000) + "s";
        }
        return ms + "ms";
    }

    private static String quote(String v) {
        return v == null ? "null" : "'" + v + "'";
    }

    /** Parses a duration knob: plain numbers are milliseconds; {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code PT30S}. */
    static Duration parseDuration(String knob, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt") || t.startsWith("-pt")) {
                return Duration.parse(text.trim());
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
            if (t.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
            return Duration.ofMillis(Long.parseLong(t));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(knob + "=" + quote(text)
                    + " must be a duration: milliseconds (30000) or 500ms, 30s, 5m, 1h, PT30S", e);
        }
    }
}
