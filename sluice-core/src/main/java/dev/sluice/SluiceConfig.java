package dev.sluice;

import static dev.sluice.KnobText.invalid;
import static dev.sluice.KnobText.quote;
import static dev.sluice.internal.KnobRules.fmt;

import dev.sluice.internal.KnobRules;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The immutable configuration of a pool. Build it with {@link #builder()}, or from HikariCP-style
 * {@link Properties} with {@link #fromProperties(Properties)}. Every knob is checked when it is
 * set, and the rules between knobs when {@link Builder#build()} runs; a bad value fails with an
 * {@link InvalidConfigException} naming the knob, the value and the allowed range. A knob that
 * is not set never makes one that is set invalid: its default gives way, and {@link #origin}
 * says which values were set, defaulted or derived.
 *
 * <p>Durations given as numbers (in {@code Properties}) are milliseconds, as in HikariCP; strings
 * such as {@code 30s}, {@code 500ms}, {@code 2m} or ISO-8601 {@code PT30S} are accepted too.
 */
public final class SluiceConfig {
    /** The effective values: what was set, defaults, and derived values. Never changed. */
    private final KnobValues values;
    /** What the user set, unresolved: {@link #toBuilder()} starts from it so defaults are derived afresh. */
    private final KnobValues source;
    /** Knob to the sentence saying what was derived and why, in the order the rules ran. */
    private final Map<String, String> derivations;
    private final ConfigView view;

    /** Called by {@link KnobResolution} only, with a resolved copy that nothing else holds. */
    SluiceConfig(KnobValues values, KnobValues source, Map<String, String> derivations) {
        this.values = values;
        this.source = source;
        this.derivations = derivations;
        this.view = new ConfigView(values, source.explicit, derivations);
    }

    /** A builder with every knob at its default. */
    public static Builder builder() {
        return new Builder(new KnobValues());
    }

    /**
     * A builder preset with what was set on this configuration, for variations. Knobs that were
     * not set stay unset, so their defaults are derived again from the new values: a
     * {@code maximumPoolSize(4)} on the copy of a default configuration gives {@code minimumIdle=4},
     * not a conflict with the 10 resolved before.
     */
    public Builder toBuilder() {
        return new Builder(source.clone());
    }

    /**
     * Reads a configuration from HikariCP's property names (see {@link Builder} for each knob, and
     * the README for what each HikariCP property does in Sluice). {@code dataSource.<name>}
     * entries become driver properties, or bean properties of {@code dataSourceClassName}. A name
     * neither Sluice nor HikariCP has fails rather than being ignored, so a typo cannot silently
     * leave a knob at its default; the error suggests the closest known name.
     *
     * @throws InvalidConfigException listing every bad entry and broken rule at once
     */
    public static SluiceConfig fromProperties(Properties properties) {
        return PropertyBinding.read(properties).build();
    }

    /** The names {@link #fromProperties(Properties)} accepts. */
    public static Set<String> propertyNames() {
        return PropertyBinding.NAMES;
    }

    public String poolName() { return values.poolName; }
    public String jdbcUrl() { return values.jdbcUrl; }
    public String username() { return values.username; }
    /** The password, for the pool's own use when connecting. Never logged or shown. */
    public String password() { return values.password; }
    /** Asked for the user and password of every new connection; null when they are fixed. */
    public CredentialsProvider credentialsProvider() { return values.credentialsProvider; }
    public String driverClassName() { return values.driverClassName; }
    public DataSource dataSource() { return values.dataSource; }
    /** A copy of the driver properties. */
    public Properties dataSourceProperties() { return KnobValues.copy(values.dataSourceProperties); }
    public int maximumPoolSize() { return values.maximumPoolSize; }
    public int minimumIdle() { return values.minimumIdle; }
    public int maxIdle() { return values.maxIdle; }
    public Duration connectionTimeout() { return values.connectionTimeout; }
    public Duration validationTimeout() { return values.validationTimeout; }
    public Duration idleTimeout() { return values.idleTimeout; }
    public Duration maxIdleTime() { return values.maxIdleTime; }
    public Duration maxLifetime() { return values.maxLifetime; }
    public Duration keepaliveTime() { return values.keepaliveTime; }
    public Duration validationBypassWindow() { return values.validationBypassWindow; }
    public Duration leakDetectionThreshold() { return values.leakDetectionThreshold; }
    public BorrowStack leakDetectionStacks() { return values.leakDetectionStacks; }
    public Duration initializationFailTimeout() { return values.initializationFailTimeout; }
    public Duration shutdownTimeout() { return values.shutdownTimeout; }
    public Duration housekeepingPeriod() { return values.housekeepingPeriod; }
    public int maxConcurrentCreates() { return values.maxConcurrentCreates; }
    public boolean autoCommit() { return values.autoCommit; }
    public boolean readOnly() { return values.readOnly; }
    public boolean requirePrimary() { return values.requirePrimary; }
    /** The isolation level as a {@link Connection} constant, or {@code null} for the driver's default. */
    public Integer transactionIsolation() { return values.transactionIsolation; }
    public String catalog() { return values.catalog; }
    public String schema() { return values.schema; }
    public String connectionInitSql() { return values.connectionInitSql; }
    public String connectionTestQuery() { return values.connectionTestQuery; }
    public Duration abandonTimeout() { return values.abandonTimeout; }
    public NestedAcquisition nestedAcquisition() { return values.nestedAcquisition; }
    public boolean registerMbeans() { return values.registerMbeans; }
    public List<PoolListener> listeners() { return values.listeners; }
    /** Supplies caller context (a trace id, an MDC copy) recorded at borrow when leak detection is on; may be null. */
    public Supplier<?> borrowContext() { return values.borrowContext; }
    public int breakerFailureThreshold() { return values.breakerFailureThreshold; }
    public int breakerFailureRateThreshold() { return values.breakerFailureRateThreshold; }
    public Duration breakerWindow() { return values.breakerWindow; }
    public Duration breakerMaxProbeInterval() { return values.breakerMaxProbeInterval; }
    public Sizing sizing() { return values.sizing; }
    public double sizingHeadroom() { return values.sizingHeadroom; }
    public Duration sizingInterval() { return values.sizingInterval; }
    public int sizingInstances() { return values.sizingInstances; }
    public PgBouncerMode pgbouncer() { return values.pgbouncer; }
    /** The fleet this pool belongs to, or null: see {@link Builder#fleet(String)}. */
    public String fleet() { return values.fleet; }
    /** This instance's id within its fleet, or null when it is derived at start (host and process id). */
    public String fleetInstance() { return values.fleetInstance; }
    /** Connections for the whole fleet, or 0 when derived from the server's limits. */
    public int fleetBudget() { return values.fleetBudget; }
    public Duration fleetInterval() { return values.fleetInterval; }
    /** The {@link DataSource} class the pool instantiates and configures from {@code dataSource.*}, or null. */
    public String dataSourceClassName() { return values.dataSourceClassName; }

    /**
     * Where the effective value of a knob came from.
     *
     * @param knob a property name from {@link #propertyNames()}, e.g. {@code "idleTimeout"}
     * @throws InvalidConfigException if Sluice has no knob of that name (suggesting the closest)
     */
    public KnobOrigin origin(String knob) {
        return view.origin(knob);
    }

    /**
     * The knobs whose defaults Sluice replaced because they contradicted a knob that was set,
     * each with a sentence saying what it derived and why (the pool logs these at start).
     */
    public Map<String, String> derivations() {
        return derivations;
    }

    /**
     * The knobs set explicitly, with their effective values as text; the password and secrets in
     * the URL or driver properties are hidden.
     */
    public Map<String, String> explicitSettings() {
        return view.explicitSettings();
    }

    /**
     * HikariCP properties that were given but have no effect in Sluice (for example
     * {@code allowPoolSuspension}: suspension is always available). The pool names them once at
     * start, so nobody believes they took effect.
     */
    public Set<String> inertProperties() {
        return values.inertProperties;
    }

    /**
     * Every knob shown by {@link #toString()}, with its effective value and origin as
     * {@code value (default|derived|set)}; secrets are hidden. The JMX view shows this map.
     */
    public Map<String, String> describe() {
        return view.describe();
    }

    /**
     * Every knob with its effective value; a value Sluice derived is marked {@code (derived)} and
     * one set explicitly {@code (set)}, so a reader can tell a choice from a default. No secret
     * (password, URL credentials, secret driver properties) is shown.
     */
    @Override
    public String toString() {
        return view.summary();
    }

    /**
     * Fluent builder. Each setter validates its own value at once; {@link #build()} checks the
     * rules between knobs.
     */
    public static final class Builder {
        private final KnobValues values;

        private Builder(KnobValues values) {
            this.values = values;
        }

        /** Records a knob as set: from now on its value is the user's and no rule derives it. */
        private Builder set(String knob) {
            values.explicit.add(knob);
            return this;
        }

        /** Records a HikariCP property that Sluice accepts but that changes nothing here. */
        void inert(String property) {
            values.inertProperties.add(property);
        }

        /** Keeps the bad entries of a {@code Properties} file for {@link #build()} to report with the broken rules. */
        void rejected(List<InvalidConfigException.Violation> properties) {
            values.rejectedProperties.addAll(properties);
        }

        /** Name used in logs, metrics, JMX and thread names. Default {@code sluice-<n>}. */
        public Builder poolName(String v) {
            if (v == null || v.isBlank()) {
                throw invalid("poolName", v, "poolName=" + quote(v) + " must be a non-blank string");
            }
            values.poolName = v;
            return set("poolName");
        }

        /** The JDBC URL. Required unless {@link #dataSource(DataSource)} is set. */
        public Builder jdbcUrl(String v) {
            if (v == null || !v.startsWith("jdbc:")) {
                throw invalid("jdbcUrl", v, "jdbcUrl=" + quote(v) + " must start with 'jdbc:'");
            }
            values.jdbcUrl = v;
            return set("jdbcUrl");
        }

        public Builder username(String v) {
            values.username = v;
            return set("username");
        }

        public Builder password(String v) {
            values.password = v;
            return set("password");
        }

        /**
         * Asks this provider for the user and password of every new connection (short-lived
         * tokens, leased or rotated secrets), on the connecting thread and inside the connect's
         * deadline. A null {@code username} from it means the configured {@code username}.
         * Cannot be combined with {@link #password(String)}.
         */
        public Builder credentialsProvider(CredentialsProvider v) {
            values.credentialsProvider = v;
            return set("credentialsProvider");
        }

        /**
         * {@link #credentialsProvider(CredentialsProvider)} by class name (public, with a public
         * no-argument constructor), as {@code credentialsProviderClassName} in {@code Properties}.
         */
        public Builder credentialsProviderClassName(String v) {
            return credentialsProvider(v == null || v.isBlank() ? null : CredentialsProviders.instantiate(v.trim()));
        }

        /** Optional: the driver class to load, if the driver does not register itself. */
        public Builder driverClassName(String v) {
            values.driverClassName = blankToNull(v);
            return set("driverClassName");
        }

        /**
         * HikariCP's DataSource-based configuration: the pool instantiates this
         * {@link DataSource} class (it needs a public no-argument constructor) and sets each
         * {@code dataSource.<name>} property through its {@code set<Name>} method, converting
         * to int, long, boolean or String. Use it instead of {@link #jdbcUrl(String)}.
         */
        public Builder dataSourceClassName(String v) {
            values.dataSourceClassName = blankToNull(v);
            return set("dataSourceClassName");
        }

        /** Connect through this DataSource instead of a JDBC URL and driver. */
        public Builder dataSource(DataSource v) {
            values.dataSource = v;
            return set("dataSource");
        }

        /** Driver properties passed on every connect; they win over the timeouts Sluice derives. */
        public Builder dataSourceProperties(Properties v) {
            values.dataSourceProperties = KnobValues.copy(v);
            return set("dataSourceProperties");
        }

        /** One driver property; see {@link #dataSourceProperties(Properties)}. */
        public Builder dataSourceProperty(String name, String value) {
            values.dataSourceProperties.setProperty(name, value);
            return set("dataSourceProperties");
        }

        /** Most connections open at once, idle and in use. Default 10, range 1–10000. */
        public Builder maximumPoolSize(int v) {
            values.maximumPoolSize = KnobRules.maximumPoolSize(v);
            return set("maximumPoolSize");
        }

        /** Idle connections kept ready. Default: maximumPoolSize; range 0–maximumPoolSize. */
        public Builder minimumIdle(int v) {
            values.minimumIdle = KnobRules.minimumIdle(v);
            return set("minimumIdle");
        }

        /**
         * Go's {@code SetMaxIdleConns}: idle connections beyond this are closed when returned.
         * Default: maximumPoolSize; range minimumIdle–maximumPoolSize.
         */
        public Builder maxIdle(int v) {
            if (v < 0 || v > KnobRules.MAX_POOL_SIZE_LIMIT) {
                throw invalid("maxIdle", v, "maxIdle=" + v + " must be between minimumIdle and maximumPoolSize");
            }
            values.maxIdle = v;
            return set("maxIdle");
        }

        /** Longest {@code getConnection()} waits. Default 30 s, at least 50 ms. */
        public Builder connectionTimeout(Duration v) {
            values.connectionTimeout = KnobRules.atLeast("connectionTimeout", v, KnobRules.MIN_CONNECTION_TIMEOUT);
            return set("connectionTimeout");
        }

        /** Longest a validation may take. Default 5 s (connectionTimeout if shorter), at least 50 ms, at most connectionTimeout. */
        public Builder validationTimeout(Duration v) {
            values.validationTimeout = KnobRules.atLeast("validationTimeout", v, KnobRules.MIN_VALIDATION_TIMEOUT);
            return set("validationTimeout");
        }

        /** Idle connections above minimumIdle are closed after this. Default 10 min; 0 = never, else at least 1 s. */
        public Builder idleTimeout(Duration v) {
            values.idleTimeout = KnobRules.zeroOrAtLeast("idleTimeout", v, KnobRules.MIN_AGE_KNOB);
            return set("idleTimeout");
        }

        /**
         * Go's {@code SetConnMaxIdleTime}: any connection idle longer is closed (and replaced if
         * minimumIdle requires). Default 0 = off, else at least 1 s.
         */
        public Builder maxIdleTime(Duration v) {
            values.maxIdleTime = KnobRules.zeroOrAtLeast("maxIdleTime", v, KnobRules.MIN_AGE_KNOB);
            return set("maxIdleTime");
        }

        /** Connections are retired after this age, each one 5-30% earlier (a per-connection jitter, so connections opened together do not retire together). Default 30 min; 0 = never, else at least 1 s. */
        public Builder maxLifetime(Duration v) {
            values.maxLifetime = KnobRules.zeroOrAtLeast("maxLifetime", v, KnobRules.MIN_AGE_KNOB);
            return set("maxLifetime");
        }

        /** Idle connections are validated this often, below server and firewall idle limits. Default 2 min; 0 = off, else at least 1 s. */
        public Builder keepaliveTime(Duration v) {
            values.keepaliveTime = KnobRules.zeroOrAtLeast("keepaliveTime", v, KnobRules.MIN_AGE_KNOB);
            return set("keepaliveTime");
        }

        /**
         * A connection used more recently than this is handed out without validation; one idle
         * longer is validated first. Default 500 ms, range 0–1 min (0 = always validate).
         */
        public Builder validationBypassWindow(Duration v) {
            requireNonNegative("validationBypassWindow", v);
            if (v.compareTo(KnobValues.MAX_BYPASS_WINDOW) > 0) {
                throw invalid("validationBypassWindow", fmt(v), "validationBypassWindow=" + fmt(v) + " must be between 0 and "
                        + fmt(KnobValues.MAX_BYPASS_WINDOW));
            }
            values.validationBypassWindow = v;
            return set("validationBypassWindow");
        }

        /** A connection held longer is reported as a possible leak, with the borrower's stack. Default 0 = off, else at least 100 ms. */
        public Builder leakDetectionThreshold(Duration v) {
            values.leakDetectionThreshold = KnobRules.zeroOrAtLeast("leakDetectionThreshold", v, KnobRules.MIN_LEAK_THRESHOLD);
            return set("leakDetectionThreshold");
        }

        /**
         * Start-up check. Positive: the constructor keeps trying to open a first connection for this
         * long and fails with a classified error if it cannot. Zero: one attempt. Negative: no
         * check, the pool starts lazily. Default 1 ms (one attempt, as HikariCP).
         */
        public Builder initializationFailTimeout(Duration v) {
            values.initializationFailTimeout = Objects.requireNonNull(v, "initializationFailTimeout");
            return set("initializationFailTimeout");
        }

        /** How long {@code close()} waits for borrowed connections before aborting them. Default 5 s, at least 0. */
        public Builder shutdownTimeout(Duration v) {
            requireNonNegative("shutdownTimeout", v);
            values.shutdownTimeout = v;
            return set("shutdownTimeout");
        }

        /** Period of the background check for idle, keepalive and minimumIdle. Default 30 s, at least 10 ms; shortened automatically for short idle knobs. */
        public Builder housekeepingPeriod(Duration v) {
            values.housekeepingPeriod = KnobRules.atLeast("housekeepingPeriod", v, KnobValues.MIN_HOUSEKEEPING_PERIOD);
            return set("housekeepingPeriod");
        }

        /** Connects running at once. Default 2, range 1–64. */
        public Builder maxConcurrentCreates(int v) {
            if (v < 1 || v > 64) {
                throw invalid("maxConcurrentCreates", v, "maxConcurrentCreates=" + v + " must be between 1 and 64");
            }
            values.maxConcurrentCreates = v;
            return set("maxConcurrentCreates");
        }

        /** Auto-commit state of connections handed out. Default true. */
        public Builder autoCommit(boolean v) {
            values.autoCommit = v;
            return set("autoCommit");
        }

        /**
         * Check every new connection once after connect and refuse it unless it is on a primary
         * (PostgreSQL: not in recovery and not read-only; MariaDB/MySQL: {@code @@global.read_only}
         * off). Default false; a pgjdbc URL with {@code targetServerType=primary} turns it on. A
         * refused connection counts as a failed connect, so backoff and the breaker apply.
         */
        public Builder requirePrimary(boolean v) {
            values.requirePrimary = v;
            return set("requirePrimary");
        }

        /** Read-only state of connections handed out. Default false. */
        public Builder readOnly(boolean v) {
            values.readOnly = v;
            return set("readOnly");
        }

        /** Isolation level, a {@link Connection} {@code TRANSACTION_*} constant. Default: the driver's. */
        public Builder transactionIsolation(int v) {
            if (v != Connection.TRANSACTION_NONE && v != Connection.TRANSACTION_READ_UNCOMMITTED
                    && v != Connection.TRANSACTION_READ_COMMITTED && v != Connection.TRANSACTION_REPEATABLE_READ
                    && v != Connection.TRANSACTION_SERIALIZABLE) {
                throw invalid("transactionIsolation", v, "transactionIsolation=" + v
                        + " must be one of 0 (NONE), 1 (READ_UNCOMMITTED), 2 (READ_COMMITTED), 4 (REPEATABLE_READ), 8 (SERIALIZABLE)");
            }
            values.transactionIsolation = v;
            return set("transactionIsolation");
        }

        /** Isolation level by name: {@code TRANSACTION_READ_COMMITTED} or {@code READ_COMMITTED}, etc. */
        public Builder transactionIsolation(String v) {
            return transactionIsolation(KnobText.isolationLevel(v));
        }

        public Builder catalog(String v) {
            values.catalog = blankToNull(v);
            return set("catalog");
        }

        public Builder schema(String v) {
            values.schema = blankToNull(v);
            return set("schema");
        }

        /** SQL run once on every new connection. */
        public Builder connectionInitSql(String v) {
            values.connectionInitSql = blankToNull(v);
            return set("connectionInitSql");
        }

        /** Validation query; by default {@link Connection#isValid(int)} is used, which is faster. */
        public Builder connectionTestQuery(String v) {
            values.connectionTestQuery = blankToNull(v);
            return set("connectionTestQuery");
        }

        /**
         * Aborts and reclaims a connection held longer than this. Off by default: a slow but
         * legitimate transaction would be killed mid-flight, so set it well above your longest
         * transaction, and above leakDetectionThreshold. 0 = off, else at least 100 ms.
         */
        public Builder abandonTimeout(Duration v) {
            values.abandonTimeout = KnobRules.zeroOrAtLeast("abandonTimeout", v, KnobRules.MIN_LEAK_THRESHOLD);
            return set("abandonTimeout");
        }

        /**
         * How much of the borrower's stack leak detection records per borrow: FRAME (default), the
         * borrower's frame only, or FULL, the whole stack. Leak reports, held connections and
         * nested-acquisition warnings show what was recorded.
         */
        public Builder leakDetectionStacks(BorrowStack v) {
            values.leakDetectionStacks = Objects.requireNonNull(v, "leakDetectionStacks");
            return set("leakDetectionStacks");
        }

        /** What leak detection records per borrow, by name: FRAME or FULL. */
        public Builder leakDetectionStacks(String v) {
            return leakDetectionStacks(KnobText.named("leakDetectionStacks", v, BorrowStack.class));
        }

        /** What to do when a thread holding a connection waits for a second one. Default WARN. */
        public Builder nestedAcquisition(NestedAcquisition v) {
            values.nestedAcquisition = Objects.requireNonNull(v, "nestedAcquisition");
            return set("nestedAcquisition");
        }

        /** Nested acquisition policy by name: ALLOW, WARN or FAIL. */
        public Builder nestedAcquisition(String v) {
            return nestedAcquisition(KnobText.named("nestedAcquisition", v, NestedAcquisition.class));
        }

        /** Registers a JMX MXBean {@code dev.sluice:type=Pool,name=<poolName>}. Default false. */
        public Builder registerMbeans(boolean v) {
            values.registerMbeans = v;
            return set("registerMbeans");
        }

        /** Adds a listener for the pool's events; may be called several times. */
        public Builder listener(PoolListener v) {
            values.listeners.add(Objects.requireNonNull(v, "listener"));
            return this;
        }

        /**
         * Captures caller context at borrow time (e.g. {@code () -> MDC.getCopyOfContextMap()} or a
         * trace id) for leak reports. Called only while leak detection is on.
         */
        public Builder borrowContext(Supplier<?> v) {
            values.borrowContext = v;
            return set("borrowContext");
        }

        /**
         * Consecutive connect failures that open the circuit breaker. While it is open, borrowers
         * who would have to wait for a new connection fail at once with BREAKER_OPEN, and only a
         * probe connects. Default 3; 0 switches the breaker off; at most 1000.
         */
        public Builder breakerFailureThreshold(int v) {
            if (v < 0 || v > 1000) {
                throw invalid("breakerFailureThreshold", v, "breakerFailureThreshold=" + v + " must be between 0 (off) and 1000");
            }
            values.breakerFailureThreshold = v;
            return set("breakerFailureThreshold");
        }

        /**
         * The breaker also opens when this percentage of connect attempts within breakerWindow
         * failed (with at least 10 attempts). Default 50; 0 switches this rule off; at most 100.
         */
        public Builder breakerFailureRateThreshold(int v) {
            if (v < 0 || v > 100) {
                throw invalid("breakerFailureRateThreshold", v, "breakerFailureRateThreshold=" + v + " must be between 0 (off) and 100 (percent)");
            }
            values.breakerFailureRateThreshold = v;
            return set("breakerFailureRateThreshold");
        }

        /** The window of the failure-rate rule. Default 10 s, at least 1 s. */
        public Builder breakerWindow(Duration v) {
            values.breakerWindow = KnobRules.atLeast("breakerWindow", v, KnobRules.MIN_AGE_KNOB);
            return set("breakerWindow");
        }

        /**
         * Longest pause between probes while the breaker is open (they start at 20 ms and double).
         * Short by default so the pool notices a recovered database within about this long.
         * Default 100 ms, range 20 ms–5 min.
         */
        public Builder breakerMaxProbeInterval(Duration v) {
            KnobRules.atLeast("breakerMaxProbeInterval", v, Duration.ofMillis(20));
            if (v.compareTo(Duration.ofMinutes(5)) > 0) {
                throw invalid("breakerMaxProbeInterval", fmt(v), "breakerMaxProbeInterval=" + fmt(v) + " must be between 20ms and 300s");
            }
            values.breakerMaxProbeInterval = v;
            return set("breakerMaxProbeInterval");
        }

        /**
         * FIXED (default), ADAPTIVE (the pool sizes itself between minimumIdle and
         * maximumPoolSize from measured load) or ADVISORY (decisions are logged, not applied).
         */
        public Builder sizing(Sizing v) {
            values.sizing = Objects.requireNonNull(v, "sizing");
            return set("sizing");
        }

        /** Sizing mode by name: FIXED, ADAPTIVE or ADVISORY. */
        public Builder sizing(String v) {
            return sizing(KnobText.named("sizing", v, Sizing.class));
        }

        /** Multiplier on the load-derived target and on on-demand growth (spare capacity for bursts). Default 1.5, range 1.0–10. */
        public Builder sizingHeadroom(double v) {
            if (!(v >= 1.0 && v <= 10.0)) {
                throw invalid("sizingHeadroom", v, "sizingHeadroom=" + v + " must be between 1.0 and 10.0");
            }
            values.sizingHeadroom = v;
            return set("sizingHeadroom");
        }

        /** Length of one sizing window (one decision per window). Default 1 s, range 100 ms–1 min. */
        public Builder sizingInterval(Duration v) {
            KnobRules.between("sizingInterval", v, Duration.ofMillis(100), Duration.ofMinutes(1));
            values.sizingInterval = v;
            return set("sizingInterval");
        }

        /**
         * How many application instances share the database: adaptive sizing keeps this pool
         * within the server's connection limit divided by it. Default 1, range 1–10000.
         */
        public Builder sizingInstances(int v) {
            if (v < 1 || v > 10_000) {
                throw invalid("sizingInstances", v, "sizingInstances=" + v + " must be between 1 and 10000");
            }
            values.sizingInstances = v;
            return set("sizingInstances");
        }

        /**
         * The PgBouncer pool mode in front of PostgreSQL: OFF (default), TRANSACTION or SESSION.
         * TRANSACTION makes pgjdbc skip server-side prepared statements and refuses at build
         * the session state that transaction pooling would lose (see {@link PgBouncerMode}).
         */
        public Builder pgbouncer(PgBouncerMode v) {
            values.pgbouncer = Objects.requireNonNull(v, "pgbouncer");
            return set("pgbouncer");
        }

        /** PgBouncer pool mode by name: OFF, TRANSACTION or SESSION. */
        public Builder pgbouncer(String v) {
            return pgbouncer(KnobText.named("pgbouncer", v, PgBouncerMode.class));
        }

        /**
         * Joins this pool to a fleet: the application instances whose pools carry the same fleet
         * name share one connection budget on the server, each keeping to a fair share of it by
         * what it needs, coordinated through the database alone (PostgreSQL). 1–16 characters:
         * letters, digits, '_' and '-'. Unset by default: then {@link #sizingInstances(int)}
         * divides the server's limit statically.
         */
        public Builder fleet(String v) {
            values.fleet = fleetId("fleet", v, 16);
            return set("fleet");
        }

        /**
         * This instance's id within its fleet, unique among the fleet's instances. Default: the
         * host name and process id, with characters outside the allowed set replaced.
         * 1–20 characters: letters, digits, '_' and '-'.
         */
        public Builder fleetInstance(String v) {
            values.fleetInstance = fleetId("fleetInstance", v, 20);
            return set("fleetInstance");
        }

        /**
         * Server connections for the whole fleet, every instance's together. Default (0): derived
         * from the server, its connection limit less reserved slots and connections that are not
         * the fleet's, and the role's and database's CONNECTION LIMIT. Range 0 or 2–100000.
         */
        public Builder fleetBudget(int v) {
            if (v != 0 && (v < 2 || v > 100_000)) {
                throw invalid("fleetBudget", v, "fleetBudget=" + v + " must be 0 (derive from the server) or between 2 and 100000");
            }
            values.fleetBudget = v;
            return set("fleetBudget");
        }

        /** How often a fleet member looks at the fleet and moves its share. Default 500 ms, range 50 ms–1 min. */
        public Builder fleetInterval(Duration v) {
            KnobRules.between("fleetInterval", v, Duration.ofMillis(50), Duration.ofMinutes(1));
            values.fleetInterval = v;
            return set("fleetInterval");
        }

        /** A fleet or instance id goes into the connections' application name and into SQL text, so only a safe alphabet. */
        private static String fleetId(String knob, String v, int maxLength) {
            if (v == null || v.isBlank()) {
                return null;
            }
            String t = v.trim();
            if (t.length() > maxLength || !t.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-'))) {
                throw invalid(knob, quote(v), knob + "=" + quote(v) + " must be 1-" + maxLength
                        + " characters of letters, digits, '_' and '-'");
            }
            return t;
        }

        /**
         * Derives what was not set from what was, checks the rules between knobs and returns the
         * configuration. A default never makes a value that was set invalid: where a default
         * would break a rule against a set knob, the default gives way (see
         * {@link SluiceConfig#derivations()}). Only two set values that contradict each other
         * fail, all of them together in one exception.
         *
         * @throws InvalidConfigException listing every broken rule
         */
        public SluiceConfig build() {
            return KnobResolution.resolve(values);
        }

        private static void requireNonNegative(String knob, Duration v) {
            Objects.requireNonNull(v, knob);
            if (v.isNegative()) {
                throw invalid(knob, v, knob + "=" + fmt(v) + " must not be negative");
            }
        }

        private static String blankToNull(String v) {
            return v == null || v.isBlank() ? null : v;
        }
    }
}
