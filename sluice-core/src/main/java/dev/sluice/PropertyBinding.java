package dev.sluice;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Maps HikariCP-compatible property names onto {@link SluiceConfig.Builder} setters, so a
 * HikariCP {@code Properties} file configures Sluice unchanged.
 */
final class PropertyBinding {
    private static final String DRIVER_PROPERTY_PREFIX = "dataSource.";
    private static final Map<String, BiConsumer<SluiceConfig.Builder, String>> SETTERS = new LinkedHashMap<>();

    static {
        text("poolName", SluiceConfig.Builder::poolName);
        text("jdbcUrl", SluiceConfig.Builder::jdbcUrl);
        text("username", SluiceConfig.Builder::username);
        text("password", SluiceConfig.Builder::password);
        text("driverClassName", SluiceConfig.Builder::driverClassName);
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
        duration("initializationFailTimeout", SluiceConfig.Builder::initializationFailTimeout);
        duration("shutdownTimeout", SluiceConfig.Builder::shutdownTimeout);
        duration("housekeepingPeriod", SluiceConfig.Builder::housekeepingPeriod);
        bool("autoCommit", SluiceConfig.Builder::autoCommit);
        bool("readOnly", SluiceConfig.Builder::readOnly);
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
        SETTERS.put("sizingHeadroom", (b, v) -> {
            try {
                b.sizingHeadroom(Double.parseDouble(v.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("sizingHeadroom='" + v + "' must be a number", e);
            }
        });
        duration("sizingInterval", SluiceConfig.Builder::sizingInterval);
        integer("sizingInstances", SluiceConfig.Builder::sizingInstances);
    }

    static final Set<String> NAMES = Collections.unmodifiableSet(SETTERS.keySet());

    private PropertyBinding() {
    }

    static void apply(SluiceConfig.Builder b, String name, String value) {
        if (name.startsWith(DRIVER_PROPERTY_PREFIX)) {
            b.dataSourceProperty(name.substring(DRIVER_PROPERTY_PREFIX.length()), value);
            return;
        }
        if (name.equals("dataSourceProperties")) {
            return; // only meaningful as a nested Properties object; fromProperties handles that
        }
        BiConsumer<SluiceConfig.Builder, String> setter = SETTERS.get(name);
        if (setter == null) {
            throw new IllegalArgumentException("unknown property '" + name + "'; known properties are " + NAMES
                    + " and dataSource.<driver property>");
        }
        setter.accept(b, value);
    }

    private static void text(String name, BiConsumer<SluiceConfig.Builder, String> setter) {
        SETTERS.put(name, setter);
    }

    private interface IntSetter {
        void set(SluiceConfig.Builder b, int v);
    }

    private interface BoolSetter {
        void set(SluiceConfig.Builder b, boolean v);
    }

    private interface DurationSetter {
        void set(SluiceConfig.Builder b, java.time.Duration v);
    }

    private static void integer(String name, IntSetter setter) {
        SETTERS.put(name, (b, v) -> {
            int parsed;
            try {
                parsed = Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + "='" + v + "' must be an integer", e);
            }
            setter.set(b, parsed);
        });
    }

    private static void bool(String name, BoolSetter setter) {
        SETTERS.put(name, (b, v) -> {
            String t = v.trim().toLowerCase(Locale.ROOT);
            if (!t.equals("true") && !t.equals("false")) {
                throw new IllegalArgumentException(name + "='" + v + "' must be true or false");
            }
            setter.set(b, Boolean.parseBoolean(t));
        });
    }

    private static void duration(String name, DurationSetter setter) {
        SETTERS.put(name, (b, v) -> setter.set(b, SluiceConfig.parseDuration(name, v)));
    }
}
