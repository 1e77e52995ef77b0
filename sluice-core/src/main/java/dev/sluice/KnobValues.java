package dev.sluice;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Every knob's value, in one place. A {@link SluiceConfig.Builder} edits one of these; at build
 * {@link KnobResolution} resolves a copy, which the {@link SluiceConfig} keeps and never changes.
 * A knob's type and default are written once, here, so the builder and the configuration cannot
 * disagree about them.
 *
 * <p>A field holds the documented default until a setter replaces it. {@code minimumIdle},
 * {@code maxIdle} and {@code poolName} stay null while unset, because their defaults depend on
 * other knobs; a resolved copy has them filled in.
 */
final class KnobValues implements Cloneable {
    static final Duration MAX_BYPASS_WINDOW = Duration.ofMinutes(1);
    static final Duration MIN_HOUSEKEEPING_PERIOD = Duration.ofMillis(10);

    String poolName;
    String jdbcUrl;
    String username;
    String password;
    CredentialsProvider credentialsProvider;
    String driverClassName;
    DataSource dataSource;
    String dataSourceClassName;
    Properties dataSourceProperties = new Properties();
    int maximumPoolSize = 10;
    Integer minimumIdle;
    Integer maxIdle;
    Duration connectionTimeout = Duration.ofSeconds(30);
    Duration validationTimeout = Duration.ofSeconds(5);
    Duration idleTimeout = Duration.ofMinutes(10);
    Duration maxIdleTime = Duration.ZERO;
    Duration maxLifetime = Duration.ofMinutes(30);
    Duration keepaliveTime = Duration.ofMinutes(2);
    Duration validationBypassWindow = Duration.ofMillis(500);
    Duration leakDetectionThreshold = Duration.ZERO;
    BorrowStack leakDetectionStacks = BorrowStack.FRAME;
    Duration initializationFailTimeout = Duration.ofMillis(1);
    Duration shutdownTimeout = Duration.ofSeconds(5);
    Duration housekeepingPeriod = Duration.ofSeconds(30);
    int maxConcurrentCreates = 2;
    boolean autoCommit = true;
    boolean readOnly;
    boolean requirePrimary;
    Integer transactionIsolation;
    String catalog;
    String schema;
    String connectionInitSql;
    String connectionTestQuery;
    Duration abandonTimeout = Duration.ZERO;
    NestedAcquisition nestedAcquisition = NestedAcquisition.WARN;
    boolean registerMbeans;
    /** Editable while building; a resolved copy holds an unmodifiable list. */
    List<PoolListener> listeners = new ArrayList<>();
    Supplier<?> borrowContext;
    int breakerFailureThreshold = 3;
    int breakerFailureRateThreshold = 50;
    Duration breakerWindow = Duration.ofSeconds(10);
    Duration breakerMaxProbeInterval = Duration.ofMillis(100);
    Sizing sizing = Sizing.FIXED;
    double sizingHeadroom = 1.5;
    Duration sizingInterval = Duration.ofSeconds(1);
    int sizingInstances = 1;
    PgBouncerMode pgbouncer = PgBouncerMode.OFF;
    /** Null: no fleet, the static sizingInstances share applies. */
    String fleet;
    /** Null: derived from the host name and process id when the pool starts. */
    String fleetInstance;
    /** 0: derived from the server's limits. */
    int fleetBudget;
    Duration fleetInterval = Duration.ofMillis(500);

    /** Knobs set explicitly; only their values are the user's, every other one may be derived. */
    Set<String> explicit = new LinkedHashSet<>();
    /** Bad entries of a {@code Properties} file, reported at build together with the broken rules. */
    List<InvalidConfigException.Violation> rejectedProperties = new ArrayList<>();
    /** HikariCP properties accepted without effect, named once at start. */
    Set<String> inertProperties = new TreeSet<>();

    /**
     * An independent copy: the containers are copied, so editing one never changes the other.
     * Every other field is immutable or a reference the user handed over (a DataSource, a
     * listener), shared on purpose, so a field added later is copied without a line here.
     */
    @Override
    protected KnobValues clone() {
        KnobValues c;
        try {
            c = (KnobValues) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
        c.dataSourceProperties = copy(dataSourceProperties);
        c.listeners = new ArrayList<>(listeners);
        c.explicit = new LinkedHashSet<>(explicit);
        c.rejectedProperties = new ArrayList<>(rejectedProperties);
        c.inertProperties = new TreeSet<>(inertProperties);
        return c;
    }

    static Properties copy(Properties p) {
        Properties c = new Properties();
        if (p != null) {
            for (Map.Entry<Object, Object> e : p.entrySet()) {
                c.put(e.getKey(), e.getValue());
            }
        }
        return c;
    }
}
