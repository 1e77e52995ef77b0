package dev.sluice;

import dev.sluice.internal.KnobRules;
import java.sql.Connection;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 * {@link InvalidConfigException} naming the knob, the value and the allowed range. A knob that
 * is not set never makes one that is set invalid: its default gives way, and {@link #origin}
 * says which values were set, defaulted or derived.
 *
 * <p>Durations given as numbers (in {@code Properties}) are milliseconds, as in HikariCP; strings
 * such as {@code 30s}, {@code 500ms}, {@code 2m} or ISO-8601 {@code PT30S} are accepted too.
 */
public final class SluiceConfig {
    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

    static final Duration MAX_BYPASS_WINDOW = Duration.ofMinutes(1);
    static final Duration MIN_HOUSEKEEPING_PERIOD = Duration.ofMillis(10);
    static final Duration DEFAULT_VALIDATION_TIMEOUT = Duration.ofSeconds(5);

    /** The knobs {@link #toString()} shows, in the order a reader looks for them. */
    private static final List<String> SHOWN = List.of("poolName", "jdbcUrl", "dataSourceClassName", "username", "password",
            "credentialsProvider", "dataSourceProperties", "maximumPoolSize", "minimumIdle", "maxIdle", "connectionTimeout", "validationTimeout",
            "idleTimeout", "maxIdleTime", "maxLifetime", "keepaliveTime", "validationBypassWindow", "leakDetectionThreshold",
            "abandonTimeout", "housekeepingPeriod", "nestedAcquisition", "breakerFailureThreshold", "breakerFailureRateThreshold",
            "breakerWindow", "breakerMaxProbeInterval", "sizing", "initializationFailTimeout", "autoCommit", "readOnly",
            "transactionIsolation");

    private final String poolName;
    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final CredentialsProvider credentialsProvider;
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
    private final String dataSourceClassName;
    /** What the user set, unresolved: {@link #toBuilder()} starts from it so defaults are derived afresh. */
    private final Builder source;
    /** Knob to the sentence saying what was derived and why, in the order the rules ran. */
    private final Map<String, String> derivations;
    private final Set<String> inertProperties;

    /**
     * @param b          the effective values: what was set, defaults, and derived values
     * @param source     a copy of the builder as the user left it
     * @param derivations knob to why its default was replaced
     */
    private SluiceConfig(Builder b, Builder source, Map<String, String> derivations) {
        this.source = source;
        this.derivations = Collections.unmodifiableMap(new LinkedHashMap<>(derivations));
        this.inertProperties = Collections.unmodifiableSet(new TreeSet<>(b.inertProperties));
        this.dataSourceClassName = b.dataSourceClassName;
        this.poolName = b.poolName != null ? b.poolName : "sluice-" + POOL_NUMBER.incrementAndGet();
        this.jdbcUrl = b.jdbcUrl;
        this.username = b.username;
        this.password = b.password;
        this.credentialsProvider = b.credentialsProvider;
        this.driverClassName = b.driverClassName;
        this.dataSource = b.dataSource;
        this.dataSourceProperties = copy(b.dataSourceProperties);
        this.maximumPoolSize = b.maximumPoolSize;
        this.minimumIdle = b.minimumIdle;
        this.maxIdle = b.maxIdle;
        this.connectionTimeout = b.connectionTimeout;
        this.validationTimeout = b.validationTimeout;
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

    /**
     * A builder preset with what was set on this configuration, for variations. Knobs that were
     * not set stay unset, so their defaults are derived again from the new values: a
     * {@code maximumPoolSize(4)} on the copy of a default configuration gives {@code minimumIdle=4},
     * not a conflict with the 10 resolved before.
     */
    public Builder toBuilder() {
        return source.copy();
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
        Objects.requireNonNull(properties, "properties");
        Builder b = builder();
        List<InvalidConfigException.Violation> problems = new ArrayList<>();
        Map<String, Object> entries = new java.util.TreeMap<>();
        for (Map.Entry<Object, Object> e : properties.entrySet()) {
            entries.put(String.valueOf(e.getKey()), e.getValue());
        }
        for (String name : properties.stringPropertyNames()) {
            entries.putIfAbsent(name, properties.getProperty(name)); // values from the defaults chain
        }
        for (Map.Entry<String, Object> e : entries.entrySet()) {
            try {
                PropertyBinding.apply(b, e.getKey(), e.getValue());
            } catch (InvalidConfigException invalid) {
                problems.addAll(invalid.violations());
            }
        }
        b.rejectedProperties.addAll(problems);
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
    /** Asked for the user and password of every new connection; null when they are fixed. */
    public CredentialsProvider credentialsProvider() { return credentialsProvider; }
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
    /** The {@link DataSource} class the pool instantiates and configures from {@code dataSource.*}, or null. */
    public String dataSourceClassName() { return dataSourceClassName; }

    /**
     * Where the effective value of a knob came from.
     *
     * @param knob a property name from {@link #propertyNames()}, e.g. {@code "idleTimeout"}
     * @throws InvalidConfigException if Sluice has no knob of that name (suggesting the closest)
     */
    public KnobOrigin origin(String knob) {
        if (source.explicit.contains(knob)) {
            return KnobOrigin.SET;
        }
        if (derivations.containsKey(knob)) {
            return KnobOrigin.DERIVED;
        }
        if (!PropertyBinding.isKnob(knob)) {
            throw PropertyBinding.unknown(knob);
        }
        return KnobOrigin.DEFAULT;
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
        Map<String, String> set = new LinkedHashMap<>();
        for (String knob : new TreeSet<>(source.explicit)) {
            set.put(knob, display(knob));
        }
        return set;
    }

    /**
     * HikariCP properties that were given but have no effect in Sluice (for example
     * {@code allowPoolSuspension}: suspension is always available). The pool names them once at
     * start, so nobody believes they took effect.
     */
    public Set<String> inertProperties() {
        return inertProperties;
    }

    /**
     * Every knob shown by {@link #toString()}, with its effective value and origin as
     * {@code value (default|derived|set)}; secrets are hidden. The JMX view shows this map.
     */
    public Map<String, String> describe() {
        Map<String, String> all = new LinkedHashMap<>();
        for (String knob : SHOWN) {
            all.put(knob, display(knob) + " (" + origin(knob).name().toLowerCase(Locale.ROOT) + ")");
        }
        return all;
    }

    /** A knob's effective value as shown in logs, toString and JMX; never a secret. */
    String display(String knob) {
        return switch (knob) {
            case "password" -> password == null ? "<none>" : "<hidden>";
            case "credentialsProvider" -> credentialsProvider == null ? "null" : credentialsProvider.getClass().getName();
            case "jdbcUrl" -> dev.sluice.internal.Redaction.url(jdbcUrl);
            case "dataSourceProperties" -> String.valueOf(dev.sluice.internal.Redaction.redact(dataSourceProperties));
            case "dataSource" -> dataSource == null ? "null" : dataSource.getClass().getName();
            case "listeners" -> String.valueOf(listeners.size());
            case "borrowContext" -> borrowContext == null ? "null" : "<supplier>";
            case "poolName" -> poolName;
            case "username" -> String.valueOf(username);
            case "driverClassName" -> String.valueOf(driverClassName);
            case "dataSourceClassName" -> String.valueOf(dataSourceClassName);
            case "maximumPoolSize" -> String.valueOf(maximumPoolSize);
            case "minimumIdle" -> String.valueOf(minimumIdle);
            case "maxIdle" -> String.valueOf(maxIdle);
            case "maxConcurrentCreates" -> String.valueOf(maxConcurrentCreates);
            case "connectionTimeout" -> fmt(connectionTimeout);
            case "validationTimeout" -> fmt(validationTimeout);
            case "idleTimeout" -> fmt(idleTimeout);
            case "maxIdleTime" -> fmt(maxIdleTime);
            case "maxLifetime" -> fmt(maxLifetime);
            case "keepaliveTime" -> fmt(keepaliveTime);
            case "validationBypassWindow" -> fmt(validationBypassWindow);
            case "leakDetectionThreshold" -> fmt(leakDetectionThreshold);
            case "initializationFailTimeout" -> fmt(initializationFailTimeout);
            case "shutdownTimeout" -> fmt(shutdownTimeout);
            case "housekeepingPeriod" -> fmt(housekeepingPeriod);
            case "abandonTimeout" -> fmt(abandonTimeout);
            case "autoCommit" -> String.valueOf(autoCommit);
            case "readOnly" -> String.valueOf(readOnly);
            case "transactionIsolation" -> String.valueOf(transactionIsolation);
            case "catalog" -> String.valueOf(catalog);
            case "schema" -> String.valueOf(schema);
            case "connectionInitSql" -> String.valueOf(connectionInitSql);
            case "connectionTestQuery" -> String.valueOf(connectionTestQuery);
            case "nestedAcquisition" -> String.valueOf(nestedAcquisition);
            case "registerMbeans" -> String.valueOf(registerMbeans);
            case "breakerFailureThreshold" -> String.valueOf(breakerFailureThreshold);
            case "breakerFailureRateThreshold" -> String.valueOf(breakerFailureRateThreshold);
            case "breakerWindow" -> fmt(breakerWindow);
            case "breakerMaxProbeInterval" -> fmt(breakerMaxProbeInterval);
            case "sizing" -> String.valueOf(sizing);
            case "sizingHeadroom" -> String.valueOf(sizingHeadroom);
            case "sizingInterval" -> fmt(sizingInterval);
            case "sizingInstances" -> String.valueOf(sizingInstances);
            default -> "?";
        };
    }

    /**
     * Every knob with its effective value; a value Sluice derived is marked {@code (derived)} and
     * one set explicitly {@code (set)}, so a reader can tell a choice from a default. No secret
     * (password, URL credentials, secret driver properties) is shown.
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("SluiceConfig[");
        String sep = "";
        for (String knob : SHOWN) {
            if (knob.equals("dataSourceClassName") && dataSourceClassName == null) {
                continue;
            }
            s.append(sep).append(knob).append('=').append(display(knob));
            KnobOrigin origin = origin(knob);
            if (origin != KnobOrigin.DEFAULT) {
                s.append(" (").append(origin.name().toLowerCase(Locale.ROOT)).append(')');
            }
            sep = ", ";
        }
        if (!inertProperties.isEmpty()) {
            s.append(sep).append("withoutEffect=").append(inertProperties);
        }
        return s.append(']').toString();
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
        private CredentialsProvider credentialsProvider;
        private String driverClassName;
        private DataSource dataSource;
        private Properties dataSourceProperties = new Properties();
        private int maximumPoolSize = 10;
        private Integer minimumIdle;
        private Integer maxIdle;
        private Duration connectionTimeout = Duration.ofSeconds(30);
        private Duration validationTimeout = DEFAULT_VALIDATION_TIMEOUT;
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
        private String dataSourceClassName;
        /** Knobs set explicitly; only their values are the user's, every other one may be derived. */
        private final Set<String> explicit = new LinkedHashSet<>();
        /** Bad entries of a {@code Properties} file, reported by {@link #build()} with the broken rules. */
        private final List<InvalidConfigException.Violation> rejectedProperties = new ArrayList<>();
        /** HikariCP properties accepted without effect, named once at start. */
        private final Set<String> inertProperties = new TreeSet<>();

        private Builder() {
        }

        /** An independent copy: lists and properties are copied, so editing one never changes the other. */
        private Builder copy() {
            Builder b = new Builder();
            b.poolName = poolName;
            b.jdbcUrl = jdbcUrl;
            b.username = username;
            b.password = password;
            b.credentialsProvider = credentialsProvider;
            b.driverClassName = driverClassName;
            b.dataSource = dataSource;
            b.dataSourceClassName = dataSourceClassName;
            b.dataSourceProperties = SluiceConfig.copy(dataSourceProperties);
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
            b.explicit.addAll(explicit);
            b.rejectedProperties.addAll(rejectedProperties);
            b.inertProperties.addAll(inertProperties);
            return b;
        }

        /** Records a HikariCP property that Sluice accepts but that changes nothing here. */
        void inert(String property) {
            inertProperties.add(property);
        }

        /** Name used in logs, metrics, JMX and thread names. Default {@code sluice-<n>}. */
        public Builder poolName(String v) {
            if (v == null || v.isBlank()) {
                throw invalid("poolName", v, "poolName=" + quote(v) + " must be a non-blank string");
            }
            this.poolName = v;
            explicit.add("poolName");
            return this;
        }

        /** The JDBC URL. Required unless {@link #dataSource(DataSource)} is set. */
        public Builder jdbcUrl(String v) {
            if (v == null || !v.startsWith("jdbc:")) {
                throw invalid("jdbcUrl", v, "jdbcUrl=" + quote(v) + " must start with 'jdbc:'");
            }
            this.jdbcUrl = v;
            explicit.add("jdbcUrl");
            return this;
        }

        public Builder username(String v) {
            this.username = v;
            explicit.add("username");
            return this;
        }

        public Builder password(String v) {
            this.password = v;
            explicit.add("password");
            return this;
        }

        /**
         * Asks this provider for the user and password of every new connection (short-lived
         * tokens, leased or rotated secrets), on the connecting thread and inside the connect's
         * deadline. A null {@code username} from it means the configured {@code username}.
         * Cannot be combined with {@link #password(String)}.
         */
        public Builder credentialsProvider(CredentialsProvider v) {
            this.credentialsProvider = v;
            explicit.add("credentialsProvider");
            return this;
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
            this.driverClassName = blankToNull(v);
            explicit.add("driverClassName");
            return this;
        }

        /**
         * HikariCP's DataSource-based configuration: the pool instantiates this
         * {@link DataSource} class (it needs a public no-argument constructor) and sets each
         * {@code dataSource.<name>} property through its {@code set<Name>} method, converting
         * to int, long, boolean or String. Use it instead of {@link #jdbcUrl(String)}.
         */
        public Builder dataSourceClassName(String v) {
            this.dataSourceClassName = blankToNull(v);
            explicit.add("dataSourceClassName");
            return this;
        }

        /** Connect through this DataSource instead of a JDBC URL and driver. */
        public Builder dataSource(DataSource v) {
            this.dataSource = v;
            explicit.add("dataSource");
            return this;
        }

        /** Driver properties passed on every connect; they win over the timeouts Sluice derives. */
        public Builder dataSourceProperties(Properties v) {
            this.dataSourceProperties = SluiceConfig.copy(v);
            explicit.add("dataSourceProperties");
            return this;
        }

        /** One driver property; see {@link #dataSourceProperties(Properties)}. */
        public Builder dataSourceProperty(String name, String value) {
            this.dataSourceProperties.setProperty(name, value);
            explicit.add("dataSourceProperties");
            return this;
        }

        /** Most connections open at once, idle and in use. Default 10, range 1–10000. */
        public Builder maximumPoolSize(int v) {
            this.maximumPoolSize = KnobRules.maximumPoolSize(v);
            explicit.add("maximumPoolSize");
            return this;
        }

        /** Idle connections kept ready. Default: maximumPoolSize; range 0–maximumPoolSize. */
        public Builder minimumIdle(int v) {
            this.minimumIdle = KnobRules.minimumIdle(v);
            explicit.add("minimumIdle");
            return this;
        }

        /**
         * Go's {@code SetMaxIdleConns}: idle connections beyond this are closed when returned.
         * Default: maximumPoolSize; range minimumIdle–maximumPoolSize.
         */
        public Builder maxIdle(int v) {
            if (v < 0 || v > KnobRules.MAX_POOL_SIZE_LIMIT) {
                throw invalid("maxIdle", v, "maxIdle=" + v + " must be between minimumIdle and maximumPoolSize");
            }
            this.maxIdle = v;
            explicit.add("maxIdle");
            return this;
        }

        /** Longest {@code getConnection()} waits. Default 30 s, at least 50 ms. */
        public Builder connectionTimeout(Duration v) {
            this.connectionTimeout = KnobRules.atLeast("connectionTimeout", v, KnobRules.MIN_CONNECTION_TIMEOUT);
            explicit.add("connectionTimeout");
            return this;
        }

        /** Longest a validation may take. Default 5 s (connectionTimeout if shorter), at least 50 ms, at most connectionTimeout. */
        public Builder validationTimeout(Duration v) {
            this.validationTimeout = KnobRules.atLeast("validationTimeout", v, KnobRules.MIN_VALIDATION_TIMEOUT);
            explicit.add("validationTimeout");
            return this;
        }

        /** Idle connections above minimumIdle are closed after this. Default 10 min; 0 = never, else at least 1 s. */
        public Builder idleTimeout(Duration v) {
            this.idleTimeout = KnobRules.zeroOrAtLeast("idleTimeout", v, KnobRules.MIN_AGE_KNOB);
            explicit.add("idleTimeout");
            return this;
        }

        /**
         * Go's {@code SetConnMaxIdleTime}: any connection idle longer is closed (and replaced if
         * minimumIdle requires). Default 0 = off, else at least 1 s.
         */
        public Builder maxIdleTime(Duration v) {
            this.maxIdleTime = KnobRules.zeroOrAtLeast("maxIdleTime", v, KnobRules.MIN_AGE_KNOB);
            explicit.add("maxIdleTime");
            return this;
        }

        /** Connections are retired after this age, minus a per-connection jitter of up to 10%. Default 30 min; 0 = never, else at least 1 s. */
        public Builder maxLifetime(Duration v) {
            this.maxLifetime = KnobRules.zeroOrAtLeast("maxLifetime", v, KnobRules.MIN_AGE_KNOB);
            explicit.add("maxLifetime");
            return this;
        }

        /** Idle connections are validated this often, below server and firewall idle limits. Default 2 min; 0 = off, else at least 1 s. */
        public Builder keepaliveTime(Duration v) {
            this.keepaliveTime = KnobRules.zeroOrAtLeast("keepaliveTime", v, KnobRules.MIN_AGE_KNOB);
            explicit.add("keepaliveTime");
            return this;
        }

        /**
         * A connection used more recently than this is handed out without validation; one idle
         * longer is validated first. Default 500 ms, range 0–1 min (0 = always validate).
         */
        public Builder validationBypassWindow(Duration v) {
            requireNonNegative("validationBypassWindow", v);
            if (v.compareTo(MAX_BYPASS_WINDOW) > 0) {
                throw invalid("validationBypassWindow", fmt(v), "validationBypassWindow=" + fmt(v) + " must be between 0 and " + fmt(MAX_BYPASS_WINDOW));
            }
            this.validationBypassWindow = v;
            explicit.add("validationBypassWindow");
            return this;
        }

        /** A connection held longer is reported as a possible leak, with the borrower's stack. Default 0 = off, else at least 100 ms. */
        public Builder leakDetectionThreshold(Duration v) {
            this.leakDetectionThreshold = KnobRules.zeroOrAtLeast("leakDetectionThreshold", v, KnobRules.MIN_LEAK_THRESHOLD);
            explicit.add("leakDetectionThreshold");
            return this;
        }

        /**
         * Start-up check. Positive: the constructor keeps trying to open a first connection for this
         * long and fails with a classified error if it cannot. Zero: one attempt. Negative: no
         * check, the pool starts lazily. Default 1 ms (one attempt, as HikariCP).
         */
        public Builder initializationFailTimeout(Duration v) {
            this.initializationFailTimeout = Objects.requireNonNull(v, "initializationFailTimeout");
            explicit.add("initializationFailTimeout");
            return this;
        }

        /** How long {@code close()} waits for borrowed connections before aborting them. Default 5 s, at least 0. */
        public Builder shutdownTimeout(Duration v) {
            requireNonNegative("shutdownTimeout", v);
            this.shutdownTimeout = v;
            explicit.add("shutdownTimeout");
            return this;
        }

        /** Period of the background check for idle, keepalive and minimumIdle. Default 30 s, at least 10 ms; shortened automatically for short idle knobs. */
        public Builder housekeepingPeriod(Duration v) {
            this.housekeepingPeriod = KnobRules.atLeast("housekeepingPeriod", v, MIN_HOUSEKEEPING_PERIOD);
            explicit.add("housekeepingPeriod");
            return this;
        }

        /** Connects running at once. Default 2, range 1–64. */
        public Builder maxConcurrentCreates(int v) {
            if (v < 1 || v > 64) {
                throw invalid("maxConcurrentCreates", v, "maxConcurrentCreates=" + v + " must be between 1 and 64");
            }
            this.maxConcurrentCreates = v;
            explicit.add("maxConcurrentCreates");
            return this;
        }

        /** Auto-commit state of connections handed out. Default true. */
        public Builder autoCommit(boolean v) {
            this.autoCommit = v;
            explicit.add("autoCommit");
            return this;
        }

        /** Read-only state of connections handed out. Default false. */
        public Builder readOnly(boolean v) {
            this.readOnly = v;
            explicit.add("readOnly");
            return this;
        }

        /** Isolation level, a {@link Connection} {@code TRANSACTION_*} constant. Default: the driver's. */
        public Builder transactionIsolation(int v) {
            if (v != Connection.TRANSACTION_NONE && v != Connection.TRANSACTION_READ_UNCOMMITTED
                    && v != Connection.TRANSACTION_READ_COMMITTED && v != Connection.TRANSACTION_REPEATABLE_READ
                    && v != Connection.TRANSACTION_SERIALIZABLE) {
                throw invalid("transactionIsolation", v, "transactionIsolation=" + v
                        + " must be one of 0 (NONE), 1 (READ_UNCOMMITTED), 2 (READ_COMMITTED), 4 (REPEATABLE_READ), 8 (SERIALIZABLE)");
            }
            this.transactionIsolation = v;
            explicit.add("transactionIsolation");
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
                        throw invalid("transactionIsolation", v, "transactionIsolation=" + quote(v)
                                + " must be one of TRANSACTION_NONE, TRANSACTION_READ_UNCOMMITTED, TRANSACTION_READ_COMMITTED,"
                                + " TRANSACTION_REPEATABLE_READ, TRANSACTION_SERIALIZABLE", e);
                    }
                }
            }
            explicit.add("transactionIsolation");
            return this;
        }

        public Builder catalog(String v) {
            this.catalog = blankToNull(v);
            explicit.add("catalog");
            return this;
        }

        public Builder schema(String v) {
            this.schema = blankToNull(v);
            explicit.add("schema");
            return this;
        }

        /** SQL run once on every new connection. */
        public Builder connectionInitSql(String v) {
            this.connectionInitSql = blankToNull(v);
            explicit.add("connectionInitSql");
            return this;
        }

        /** Validation query; by default {@link Connection#isValid(int)} is used, which is faster. */
        public Builder connectionTestQuery(String v) {
            this.connectionTestQuery = blankToNull(v);
            explicit.add("connectionTestQuery");
            return this;
        }

        /**
         * Aborts and reclaims a connection held longer than this. Off by default: a slow but
         * legitimate transaction would be killed mid-flight, so set it well above your longest
         * transaction, and above leakDetectionThreshold. 0 = off, else at least 100 ms.
         */
        public Builder abandonTimeout(Duration v) {
            this.abandonTimeout = KnobRules.zeroOrAtLeast("abandonTimeout", v, KnobRules.MIN_LEAK_THRESHOLD);
            explicit.add("abandonTimeout");
            return this;
        }

        /** What to do when a thread holding a connection waits for a second one. Default WARN. */
        public Builder nestedAcquisition(NestedAcquisition v) {
            this.nestedAcquisition = Objects.requireNonNull(v, "nestedAcquisition");
            explicit.add("nestedAcquisition");
            return this;
        }

        /** Nested acquisition policy by name: ALLOW, WARN or FAIL. */
        public Builder nestedAcquisition(String v) {
            for (NestedAcquisition n : NestedAcquisition.values()) {
                if (v != null && n.name().equalsIgnoreCase(v.trim())) {
                    return nestedAcquisition(n);
                }
            }
            throw invalid("nestedAcquisition", v, "nestedAcquisition=" + quote(v) + " must be one of ALLOW, WARN, FAIL");
        }

        /** Registers a JMX MXBean {@code dev.sluice:type=Pool,name=<poolName>}. Default false. */
        public Builder registerMbeans(boolean v) {
            this.registerMbeans = v;
            explicit.add("registerMbeans");
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
            explicit.add("borrowContext");
            return this;
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
            this.breakerFailureThreshold = v;
            explicit.add("breakerFailureThreshold");
            return this;
        }

        /**
         * The breaker also opens when this percentage of connect attempts within breakerWindow
         * failed (with at least 10 attempts). Default 50; 0 switches this rule off; at most 100.
         */
        public Builder breakerFailureRateThreshold(int v) {
            if (v < 0 || v > 100) {
                throw invalid("breakerFailureRateThreshold", v, "breakerFailureRateThreshold=" + v + " must be between 0 (off) and 100 (percent)");
            }
            this.breakerFailureRateThreshold = v;
            explicit.add("breakerFailureRateThreshold");
            return this;
        }

        /** The window of the failure-rate rule. Default 10 s, at least 1 s. */
        public Builder breakerWindow(Duration v) {
            this.breakerWindow = KnobRules.atLeast("breakerWindow", v, KnobRules.MIN_AGE_KNOB);
            explicit.add("breakerWindow");
            return this;
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
            this.breakerMaxProbeInterval = v;
            explicit.add("breakerMaxProbeInterval");
            return this;
        }

        /**
         * FIXED (default), ADAPTIVE (the pool sizes itself between minimumIdle and
         * maximumPoolSize from measured load) or ADVISORY (decisions are logged, not applied).
         */
        public Builder sizing(Sizing v) {
            this.sizing = Objects.requireNonNull(v, "sizing");
            explicit.add("sizing");
            return this;
        }

        /** Sizing mode by name: FIXED, ADAPTIVE or ADVISORY. */
        public Builder sizing(String v) {
            for (Sizing s : Sizing.values()) {
                if (v != null && s.name().equalsIgnoreCase(v.trim())) {
                    return sizing(s);
                }
            }
            throw invalid("sizing", v, "sizing=" + quote(v) + " must be one of FIXED, ADAPTIVE, ADVISORY");
        }

        /** Multiplier on the load-derived target and on on-demand growth (spare capacity for bursts). Default 1.5, range 1.0–10. */
        public Builder sizingHeadroom(double v) {
            if (!(v >= 1.0 && v <= 10.0)) {
                throw invalid("sizingHeadroom", v, "sizingHeadroom=" + v + " must be between 1.0 and 10.0");
            }
            this.sizingHeadroom = v;
            explicit.add("sizingHeadroom");
            return this;
        }

        /** Length of one sizing window (one decision per window). Default 1 s, range 100 ms–1 min. */
        public Builder sizingInterval(Duration v) {
            KnobRules.atLeast("sizingInterval", v, Duration.ofMillis(100));
            if (v.compareTo(Duration.ofMinutes(1)) > 0) {
                throw invalid("sizingInterval", fmt(v), "sizingInterval=" + fmt(v) + " must be between 100ms and 60s");
            }
            this.sizingInterval = v;
            explicit.add("sizingInterval");
            return this;
        }

        /**
         * How many application instances share the database: adaptive sizing keeps this pool
         * within the server's connection limit divided by it. Default 1, range 1–10000.
         */
        public Builder sizingInstances(int v) {
            if (v < 1 || v > 10_000) {
                throw invalid("sizingInstances", v, "sizingInstances=" + v + " must be between 1 and 10000");
            }
            this.sizingInstances = v;
            explicit.add("sizingInstances");
            return this;
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
            Builder e = copy();
            Resolution r = new Resolution(explicit, rejectedProperties);
            if (jdbcUrl == null && dataSource == null && dataSourceClassName == null) {
                r.violation("jdbcUrl", null, "jdbcUrl is required (or set dataSource)");
            }
            if (dataSourceClassName != null && (jdbcUrl != null || dataSource != null)) {
                String other = jdbcUrl != null ? "jdbcUrl" : "dataSource";
                r.violation("dataSourceClassName", dataSourceClassName, "dataSourceClassName=" + dataSourceClassName + " and "
                        + other + " are both set; set one: dataSourceClassName with dataSource.* bean properties, or " + other);
            }
            if (credentialsProvider != null && password != null) {
                r.violation("credentialsProvider", credentialsProvider.getClass().getName(), "password is set together with"
                        + " credentialsProvider=" + credentialsProvider.getClass().getName()
                        + "; set one of them: the provider supplies the password of every connect");
            }
            resolveSizes(e, r);
            resolveTimeouts(e, r);
            resolveAges(e, r);
            if (r.set("abandonTimeout") && r.set("leakDetectionThreshold") && !abandonTimeout.isZero()
                    && !leakDetectionThreshold.isZero() && abandonTimeout.compareTo(leakDetectionThreshold) <= 0) {
                r.conflict("abandonTimeout", fmt(abandonTimeout), "abandonTimeout=" + fmt(abandonTimeout)
                        + " must be 0 or more than leakDetectionThreshold=" + fmt(leakDetectionThreshold), "leakDetectionThreshold");
            }
            resolveHousekeeping(e, r);
            if (dataSourceClassName != null && r.violations.isEmpty()) {
                try {
                    e.dataSource = dev.sluice.internal.DataSourceBeanBinder.bind(dataSourceClassName, dataSourceProperties);
                } catch (InvalidConfigException invalid) {
                    r.violations.addAll(invalid.violations());
                }
            }
            if (!r.violations.isEmpty()) {
                throw new InvalidConfigException(r.violations);
            }
            return new SluiceConfig(e, copy(), r.derivations);
        }

        /** maximumPoolSize, minimumIdle and maxIdle: unset ones make room for set ones. */
        private void resolveSizes(Builder e, Resolution r) {
            if (!r.set("maximumPoolSize")) {
                int needed = Math.max(minimumIdle != null ? minimumIdle : 0, maxIdle != null ? maxIdle : 0);
                if (needed > e.maximumPoolSize) {
                    String by = minimumIdle != null && minimumIdle == needed ? "minimumIdle" : "maxIdle";
                    r.derive("maximumPoolSize", "maximumPoolSize=" + needed + ": raised from the default " + e.maximumPoolSize
                            + " to " + by + "=" + needed + ", which cannot exceed it");
                    e.maximumPoolSize = needed;
                }
            }
            if (minimumIdle == null) {
                e.minimumIdle = e.maximumPoolSize;
                if (maxIdle != null && maxIdle < e.maximumPoolSize) {
                    e.minimumIdle = maxIdle;
                    r.derive("minimumIdle", "minimumIdle=" + maxIdle + ": lowered from maximumPoolSize=" + e.maximumPoolSize
                            + " to maxIdle=" + maxIdle + ", which it cannot exceed");
                }
            } else if (minimumIdle > e.maximumPoolSize) {
                r.conflict("minimumIdle", String.valueOf(minimumIdle),
                        KnobRules.minimumIdleAboveMaximum(minimumIdle, e.maximumPoolSize), "maximumPoolSize");
            }
            if (maxIdle == null) {
                e.maxIdle = e.maximumPoolSize;
            } else if (maxIdle < e.minimumIdle || maxIdle > e.maximumPoolSize) {
                r.conflict("maxIdle", String.valueOf(maxIdle), "maxIdle=" + maxIdle + " must be between minimumIdle="
                        + e.minimumIdle + " and maximumPoolSize=" + e.maximumPoolSize, "minimumIdle", "maximumPoolSize");
            }
        }

        /** validationTimeout must fit in connectionTimeout: whichever was not set adapts. */
        private void resolveTimeouts(Builder e, Resolution r) {
            if (validationTimeout.compareTo(connectionTimeout) <= 0) {
                return;
            }
            if (r.set("validationTimeout") && r.set("connectionTimeout")) {
                r.conflict("validationTimeout", fmt(validationTimeout), "validationTimeout=" + fmt(validationTimeout)
                        + " must not exceed connectionTimeout=" + fmt(connectionTimeout), "connectionTimeout");
            } else if (r.set("validationTimeout")) {
                e.connectionTimeout = validationTimeout;
                r.derive("connectionTimeout", "connectionTimeout=" + fmt(validationTimeout) + ": raised from the default "
                        + fmt(connectionTimeout) + " to validationTimeout=" + fmt(validationTimeout)
                        + ", since a borrower waits at least as long as a validation may take");
            } else {
                e.validationTimeout = connectionTimeout;
                r.derive("validationTimeout", "validationTimeout=" + fmt(connectionTimeout) + ": capped from the default "
                        + fmt(validationTimeout) + " at connectionTimeout=" + fmt(connectionTimeout));
            }
        }

        /** idleTimeout and keepaliveTime must be shorter than maxLifetime to ever act. */
        private void resolveAges(Builder e, Resolution r) {
            if (!r.set("maxLifetime") && !maxLifetime.isZero()) {
                Duration longest = Duration.ZERO;
                String by = null;
                for (String knob : new String[] {"idleTimeout", "keepaliveTime"}) {
                    Duration v = knob.equals("idleTimeout") ? idleTimeout : keepaliveTime;
                    if (r.set(knob) && v.compareTo(longest) > 0) {
                        longest = v;
                        by = knob;
                    }
                }
                if (by != null && longest.compareTo(maxLifetime) >= 0) {
                    // Twice the set value, so a connection lives through at least one whole idle
                    // (or keepalive) period before it retires.
                    e.maxLifetime = longest.multipliedBy(2);
                    r.derive("maxLifetime", "maxLifetime=" + fmt(e.maxLifetime) + ": raised from the default " + fmt(maxLifetime)
                            + " to twice " + by + "=" + fmt(longest) + ", which must be shorter");
                }
            }
            if (e.maxLifetime.isZero()) {
                return;
            }
            ageRule(r, "idleTimeout", idleTimeout, e.maxLifetime, () -> e.idleTimeout = Duration.ZERO,
                    "connections retire by age before they could time out idle");
            ageRule(r, "keepaliveTime", keepaliveTime, e.maxLifetime, () -> e.keepaliveTime = Duration.ZERO,
                    "connections retire by age before a keepalive would run");
        }

        private static void ageRule(Resolution r, String knob, Duration v, Duration maxLifetime, Runnable switchOff, String why) {
            if (v.isZero() || v.compareTo(maxLifetime) < 0) {
                return;
            }
            if (r.set(knob)) {
                r.conflict(knob, fmt(v), knob + "=" + fmt(v) + " must be 0 or less than maxLifetime=" + fmt(maxLifetime),
                        "maxLifetime");
            } else {
                // As HikariCP does with the same conflict: the knob could never act, so it is off.
                switchOff.run();
                r.derive(knob, knob + "=0 (off): the default " + fmt(v) + " is not below maxLifetime=" + fmt(maxLifetime)
                        + ", so " + why);
            }
        }

        /**
         * The background check runs often enough for the shortest knob it serves (a quarter of
         * an idle knob, half a leak threshold up to 500 ms). A set housekeepingPeriod is an upper
         * bound, as documented: a leak threshold of 2 s must not be reported 30 s late.
         */
        private void resolveHousekeeping(Builder e, Resolution r) {
            Duration p = housekeepingPeriod;
            String by = null;
            for (String knob : new String[] {"idleTimeout", "maxIdleTime", "keepaliveTime", "leakDetectionThreshold", "abandonTimeout"}) {
                Duration v = byValue(e, knob);
                if (v.isZero()) {
                    continue;
                }
                boolean idleKnob = !knob.equals("leakDetectionThreshold") && !knob.equals("abandonTimeout");
                Duration wanted = idleKnob ? v.dividedBy(4) : min(v.dividedBy(2), Duration.ofMillis(500));
                if (wanted.compareTo(p) < 0) {
                    p = wanted;
                    by = knob;
                }
            }
            if (by != null) {
                p = p.compareTo(MIN_HOUSEKEEPING_PERIOD) < 0 ? MIN_HOUSEKEEPING_PERIOD : p;
                e.housekeepingPeriod = p;
                // Shortening for a knob left at its default is the documented default behaviour, not news.
                if (r.set(by) || r.set("housekeepingPeriod")) {
                    r.derive("housekeepingPeriod", "housekeepingPeriod=" + fmt(p) + ": shortened from "
                            + (r.set("housekeepingPeriod") ? "the set " : "the default ") + fmt(housekeepingPeriod)
                            + " so that " + by + "=" + fmt(byValue(e, by)) + " is enforced on time");
                }
            }
        }

        private static Duration byValue(Builder e, String knob) {
            return switch (knob) {
                case "idleTimeout" -> e.idleTimeout;
                case "maxIdleTime" -> e.maxIdleTime;
                case "keepaliveTime" -> e.keepaliveTime;
                case "leakDetectionThreshold" -> e.leakDetectionThreshold;
                default -> e.abandonTimeout;
            };
        }

        private static Duration min(Duration a, Duration b) {
            return a.compareTo(b) <= 0 ? a : b;
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

    /**
     * The bookkeeping of one {@link Builder#build()}: which knobs were set, what was derived and
     * why, and the violations found so far.
     */
    private static final class Resolution {
        private final Set<String> explicit;
        /** Knobs whose property text was rejected: a rule involving them would only repeat that error. */
        private final Set<String> rejected = new java.util.HashSet<>();
        private final List<InvalidConfigException.Violation> violations = new ArrayList<>();
        private final Map<String, String> derivations = new LinkedHashMap<>();

        Resolution(Set<String> explicit, List<InvalidConfigException.Violation> rejectedProperties) {
            this.explicit = explicit;
            for (InvalidConfigException.Violation v : rejectedProperties) {
                rejected.add(v.knob());
            }
            violations.addAll(rejectedProperties);
        }

        boolean set(String knob) {
            return explicit.contains(knob);
        }

        void derive(String knob, String why) {
            derivations.put(knob, why);
        }

        void violation(String knob, String value, String message) {
            violations.add(new InvalidConfigException.Violation(knob, value, message));
        }

        void conflict(String knob, String value, String message, String... others) {
            if (rejected.contains(knob)) {
                return;
            }
            for (String other : others) {
                if (rejected.contains(other)) {
                    return;
                }
            }
            violation(knob, value, message);
        }
    }

    /** The exception for one bad value: a setter's, or a property's that cannot be parsed. */
    static InvalidConfigException invalid(String knob, Object value, String message) {
        return new InvalidConfigException(List.of(new InvalidConfigException.Violation(knob, display(knob, value), message)));
    }

    static InvalidConfigException invalid(String knob, Object value, String message, Throwable cause) {
        return new InvalidConfigException(new InvalidConfigException.Violation(knob, display(knob, value), message), cause);
    }

    private static String display(String knob, Object value) {
        if (value == null) {
            return null;
        }
        if (knob.toLowerCase(Locale.ROOT).contains("password")) {
            return "<hidden>";
        }
        return value instanceof Duration d ? fmt(d) : String.valueOf(value);
    }

    static String fmt(Duration d) {
        return KnobRules.fmt(d);
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
            throw invalid(knob, text, knob + "=" + quote(text)
                    + " must be a duration: milliseconds (30000) or 500ms, 30s, 5m, 1h, PT30S", e);
        }
    }
}
