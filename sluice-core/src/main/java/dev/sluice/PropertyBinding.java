package dev.sluice;

import dev.sluice.internal.ClosestName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Gives every property name a meaning: Sluice's knobs map onto {@link SluiceConfig.Builder}
 * setters, and every HikariCP property name is either one of those, mapped onto one, accepted
 * without effect (and named at start), or refused with the Sluice way to do it. So a HikariCP
 * {@code Properties} file configures Sluice unchanged, and a name neither pool has is a typo,
 * reported with the closest known name.
 */
final class PropertyBinding {
    private static final String DRIVER_PROPERTY_PREFIX = "dataSource.";

    /** A property's effect on the builder; the value is text, or an object where the name takes one. */
    private interface Binder {
        void apply(SluiceConfig.Builder b, String name, Object value);
    }

    private static final Map<String, Binder> SETTERS = new LinkedHashMap<>();
    /** HikariCP property names that are not Sluice knobs, with what Sluice does with them. */
    private static final Map<String, Binder> HIKARI_ONLY = new LinkedHashMap<>();

    static {
        text("poolName", SluiceConfig.Builder::poolName);
        text("jdbcUrl", SluiceConfig.Builder::jdbcUrl);
        text("username", SluiceConfig.Builder::username);
        text("password", SluiceConfig.Builder::password);
        text("credentialsProviderClassName", SluiceConfig.Builder::credentialsProviderClassName);
        text("driverClassName", SluiceConfig.Builder::driverClassName);
        text("dataSourceClassName", SluiceConfig.Builder::dataSourceClassName);
        integer("maximumPoolSize", SluiceConfig.Builder::maximumPoolSize);
        integer("minimumIdle", SluiceConfig.Builder::minimumIdle);
        integer("maxIdle", SluiceConfig.Builder::maxIdle);
        integer("maxConcurrentCreates", SluiceConfig.Builder::maxConcurrentCreates);
        duration("connectionTimeout", SluiceConfig.Builder::connectionTimeout);
        duration("validationTimeout", SluiceConfig.Builder::validationTimeout);
        duration("idleTimeout", SluiceConfig.Builder::idleTimeout);
        duration("maxIdleTime", SluiceConfig.Builder::maxIdleTime);
        duration("maxLifetime", SluiceConfig.Builder::maxLifetime);
        duration("keepaliveTime", SluiceConfig.Builder::keepaliveTime);
        duration("validationBypassWindow", SluiceConfig.Builder::validationBypassWindow);
        duration("leakDetectionThreshold", SluiceConfig.Builder::leakDetectionThreshold);
        text("leakDetectionStacks", SluiceConfig.Builder::leakDetectionStacks);
        duration("initializationFailTimeout", SluiceConfig.Builder::initializationFailTimeout);
        duration("shutdownTimeout", SluiceConfig.Builder::shutdownTimeout);
        duration("housekeepingPeriod", SluiceConfig.Builder::housekeepingPeriod);
        bool("autoCommit", SluiceConfig.Builder::autoCommit);
        bool("readOnly", SluiceConfig.Builder::readOnly);
        bool("requirePrimary", SluiceConfig.Builder::requirePrimary);
        text("transactionIsolation", SluiceConfig.Builder::transactionIsolation);
        text("catalog", SluiceConfig.Builder::catalog);
        text("schema", SluiceConfig.Builder::schema);
        text("connectionInitSql", SluiceConfig.Builder::connectionInitSql);
        text("connectionTestQuery", SluiceConfig.Builder::connectionTestQuery);
        duration("abandonTimeout", SluiceConfig.Builder::abandonTimeout);
        text("nestedAcquisition", SluiceConfig.Builder::nestedAcquisition);
        bool("registerMbeans", SluiceConfig.Builder::registerMbeans);
        integer("breakerFailureThreshold", SluiceConfig.Builder::breakerFailureThreshold);
        integer("breakerFailureRateThreshold", SluiceConfig.Builder::breakerFailureRateThreshold);
        duration("breakerWindow", SluiceConfig.Builder::breakerWindow);
        duration("breakerMaxProbeInterval", SluiceConfig.Builder::breakerMaxProbeInterval);
        text("sizing", SluiceConfig.Builder::sizing);
        text("pgbouncer", SluiceConfig.Builder::pgbouncer);
        SETTERS.put("sizingHeadroom", (b, name, v) -> {
            try {
                b.sizingHeadroom(Double.parseDouble(String.valueOf(v).trim()));
            } catch (NumberFormatException e) {
                throw KnobText.invalid(name, v, name + "='" + v + "' must be a number", e);
            }
        });
        duration("sizingInterval", SluiceConfig.Builder::sizingInterval);
        integer("sizingInstances", SluiceConfig.Builder::sizingInstances);
        text("fleet", SluiceConfig.Builder::fleet);
        text("fleetInstance", SluiceConfig.Builder::fleetInstance);
        integer("fleetBudget", SluiceConfig.Builder::fleetBudget);
        duration("fleetInterval", SluiceConfig.Builder::fleetInterval);
        // Objects, as HikariCP's PropertyElf accepts them in a Properties instance.
        SETTERS.put("dataSource", (b, name, v) -> {
            if (!(v instanceof DataSource ds)) {
                throw KnobText.invalid(name, v, "dataSource must be a javax.sql.DataSource object, not text;"
                        + " for a class name use dataSourceClassName");
            }
            b.dataSource(ds);
        });
        SETTERS.put("credentialsProvider", (b, name, v) -> {
            if (!(v instanceof CredentialsProvider provider)) {
                throw KnobText.invalid(name, v, "credentialsProvider must be a dev.sluice.CredentialsProvider object, not text;"
                        + " for a class name use credentialsProviderClassName");
            }
            b.credentialsProvider(provider);
        });
        SETTERS.put("dataSourceProperties", (b, name, v) -> {
            if (!(v instanceof Properties p)) {
                throw KnobText.invalid(name, v, "dataSourceProperties must be a java.util.Properties object;"
                        + " in a file write each driver property as dataSource.<name>");
            }
            for (String key : p.stringPropertyNames()) {
                b.dataSourceProperty(key, p.getProperty(key));
            }
        });

        // HikariCP's properties that Sluice does not need: accepted, checked where they have a
        // type, and named once at start so nobody believes they took effect.
        inertBool("allowPoolSuspension"); // suspend()/resume() are always available in Sluice, at no cost
        inertBool("isolateInternalQueries"); // Sluice's validation runs no statement inside the caller's transaction
        inertBool("jdbc4ConnectionTest"); // removed from HikariCP; Sluice uses isValid() unless connectionTestQuery is set
        inert("exceptionOverrideClassName"); // Sluice classifies failures itself (FailureReason)
        inert("exceptionOverride");
        inert("healthCheckProperties"); // Dropwizard health checks: use the breaker state / Spring actuator instead
        inert("healthCheckRegistry");
        inert("metricRegistry"); // Dropwizard metrics: use sluice-micrometer
        inert("metricsTrackerFactory");
        inert("threadFactory"); // Sluice names its own daemon threads after the pool
        inert("scheduledExecutor");
        // Removed from HikariCP 2.5, still in old files: false meant "start even if the database is down".
        HIKARI_ONLY.put("initializationFailFast", (b, name, v) -> {
            boolean failFast = parseBool(name, v);
            b.initializationFailTimeout(failFast ? Duration.ofMillis(1) : Duration.ofMillis(-1));
        });
        refused("dataSourceJNDI", "dataSourceJNDI is not supported: look the DataSource up in JNDI yourself and pass it"
                + " with SluiceConfig.builder().dataSource(ds)");
        refused("credentials", "credentials is not supported as a property: set username and password, or a"
                + " credentialsProviderClassName for credentials that change (tokens, rotated passwords)");
    }

    /** Sluice's knob names, each a {@link SluiceConfig.Builder} method. */
    static final Set<String> NAMES;

    static {
        Set<String> all = new TreeSet<>(SETTERS.keySet());
        all.addAll(HIKARI_ONLY.keySet());
        NAMES = Collections.unmodifiableSet(all);
    }

    /**
     * Names people write that are too far from the right one for an edit distance to find it:
     * HikariCP's own field names (as in its toString and debug log) and other pools' spellings.
     */
    private static final Map<String, String> MISNOMERS = Map.of("maxPoolSize", "maximumPoolSize", "minIdle", "minimumIdle",
            "url", "jdbcUrl", "user", "username", "driverClass", "driverClassName", "maxActive", "maximumPoolSize",
            "maxWait", "connectionTimeout", "initialSize", "minimumIdle", "maxTotal", "maximumPoolSize");

    private PropertyBinding() {
    }

    /** Whether {@code knob} names one of Sluice's knobs (as {@link SluiceConfig#origin(String)} accepts). */
    static boolean isKnob(String knob) {
        return SETTERS.containsKey(knob) || knob.equals("listeners") || knob.equals("borrowContext");
    }

    /**
     * A builder with every entry of {@code properties} applied, those of its defaults chain too.
     * A bad entry does not stop the others: all of them are kept for {@link SluiceConfig.Builder#build()}
     * to report together with the broken rules.
     */
    static SluiceConfig.Builder read(Properties properties) {
        Objects.requireNonNull(properties, "properties");
        SluiceConfig.Builder b = SluiceConfig.builder();
        List<InvalidConfigException.Violation> problems = new ArrayList<>();
        Map<String, Object> entries = new TreeMap<>();
        for (Map.Entry<Object, Object> e : properties.entrySet()) {
            entries.put(String.valueOf(e.getKey()), e.getValue());
        }
        for (String name : properties.stringPropertyNames()) {
            entries.putIfAbsent(name, properties.getProperty(name)); // values from the defaults chain
        }
        for (Map.Entry<String, Object> e : entries.entrySet()) {
            try {
                apply(b, e.getKey(), e.getValue());
            } catch (InvalidConfigException invalid) {
                problems.addAll(invalid.violations());
            }
        }
        b.rejected(problems);
        return b;
    }

    static void apply(SluiceConfig.Builder b, String name, Object value) {
        if (name.startsWith(DRIVER_PROPERTY_PREFIX) && name.length() > DRIVER_PROPERTY_PREFIX.length()) {
            b.dataSourceProperty(name.substring(DRIVER_PROPERTY_PREFIX.length()), String.valueOf(value));
            return;
        }
        Binder binder = SETTERS.get(name);
        if (binder == null) {
            binder = HIKARI_ONLY.get(name);
        }
        if (binder == null) {
            throw unknown(name);
        }
        binder.apply(b, name, value);
    }

    /** The error for a name neither Sluice nor HikariCP has, with the closest known name if one is close. */
    static InvalidConfigException unknown(String name) {
        String alias = MISNOMERS.get(name);
        String hint = (alias != null ? java.util.Optional.of(alias) : ClosestName.among(name, NAMES)).map(n -> "; did you mean " + n + "?")
                .orElse("; neither Sluice nor HikariCP has it (driver properties go under dataSource.<name>)");
        return new InvalidConfigException(List.of(
                new InvalidConfigException.Violation(name, null, "unknown property '" + name + "'" + hint)));
    }

    private interface TextSetter {
        void set(SluiceConfig.Builder b, String v);
    }

    private interface IntSetter {
        void set(SluiceConfig.Builder b, int v);
    }

    private interface BoolSetter {
        void set(SluiceConfig.Builder b, boolean v);
    }

    private interface DurationSetter {
        void set(SluiceConfig.Builder b, Duration v);
    }

    private static void text(String name, TextSetter setter) {
        SETTERS.put(name, (b, n, v) -> setter.set(b, v == null ? null : String.valueOf(v)));
    }

    private static void integer(String name, IntSetter setter) {
        SETTERS.put(name, (b, n, v) -> {
            int parsed;
            try {
                parsed = Integer.parseInt(String.valueOf(v).trim());
            } catch (NumberFormatException e) {
                throw KnobText.invalid(name, v, name + "='" + v + "' must be an integer", e);
            }
            setter.set(b, parsed);
        });
    }

    private static void bool(String name, BoolSetter setter) {
        SETTERS.put(name, (b, n, v) -> setter.set(b, parseBool(name, v)));
    }

    private static boolean parseBool(String name, Object v) {
        String t = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
        if (!t.equals("true") && !t.equals("false")) {
            throw KnobText.invalid(name, v, name + "='" + v + "' must be true or false");
        }
        return Boolean.parseBoolean(t);
    }

    private static void duration(String name, DurationSetter setter) {
        SETTERS.put(name, (b, n, v) -> setter.set(b, KnobText.parseDuration(name, String.valueOf(v))));
    }

    private static void inert(String name) {
        HIKARI_ONLY.put(name, (b, n, v) -> b.inert(n));
    }

    private static void inertBool(String name) {
        HIKARI_ONLY.put(name, (b, n, v) -> {
            parseBool(n, v);
            b.inert(n);
        });
    }

    private static void refused(String name, String message) {
        HIKARI_ONLY.put(name, (b, n, v) -> {
            throw KnobText.invalid(n, v, message);
        });
    }
}
