package dev.sluice.spring.boot;

import dev.sluice.InvalidConfigException;
import dev.sluice.SluiceConfig;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.util.StringUtils;

/**
 * Turns Spring's view of a data source (connection details, {@code spring.datasource.name} and
 * {@link SluiceProperties}) into a {@link SluiceConfig}. Sluice validates every knob itself; this
 * class only remembers which Spring property each value came from, so that a rejection names the
 * property the user has to change rather than Sluice's camelCase knob.
 */
final class SluiceConfigBinding {

    private SluiceConfigBinding() {
    }

    /**
     * @param connection   URL, credentials and driver (from {@code spring.datasource.*} or a
     *                     service-connection bean such as Testcontainers')
     * @param dataSourceName {@code spring.datasource.name}, used as the pool name unless
     *                     {@code spring.datasource.sluice.pool-name} is set; may be null
     * @param jmxEnabled   {@code spring.jmx.enabled}: the default of {@code register-mbeans}
     * @throws InvalidSluiceConfigurationException naming the property whose value Sluice rejected
     */
    static SluiceConfig bind(JdbcConnectionDetails connection, String dataSourceName, SluiceProperties knobs,
            boolean jmxEnabled) {
        SluiceConfig.Builder b = SluiceConfig.builder();
        set("spring.datasource.url", connection.getJdbcUrl(), b::jdbcUrl);
        set("spring.datasource.username", connection.getUsername(), b::username);
        set("spring.datasource.password", connection.getPassword(), b::password);
        set("spring.datasource.driver-class-name", connection.getDriverClassName(), b::driverClassName);
        if (StringUtils.hasText(knobs.getPoolName())) {
            set(knob("pool-name"), knobs.getPoolName(), b::poolName);
        } else if (StringUtils.hasText(dataSourceName)) {
            set("spring.datasource.name", dataSourceName, b::poolName);
        }

        set(knob("maximum-pool-size"), knobs.getMaximumPoolSize(), b::maximumPoolSize);
        set(knob("minimum-idle"), knobs.getMinimumIdle(), b::minimumIdle);
        set(knob("max-idle"), knobs.getMaxIdle(), b::maxIdle);
        set(knob("connection-timeout"), knobs.getConnectionTimeout(), b::connectionTimeout);
        set(knob("validation-timeout"), knobs.getValidationTimeout(), b::validationTimeout);
        set(knob("validation-bypass-window"), knobs.getValidationBypassWindow(), b::validationBypassWindow);
        set(knob("connection-test-query"), knobs.getConnectionTestQuery(), b::connectionTestQuery);
        set(knob("idle-timeout"), knobs.getIdleTimeout(), b::idleTimeout);
        set(knob("max-idle-time"), knobs.getMaxIdleTime(), b::maxIdleTime);
        set(knob("max-lifetime"), knobs.getMaxLifetime(), b::maxLifetime);
        set(knob("keepalive-time"), knobs.getKeepaliveTime(), b::keepaliveTime);
        set(knob("leak-detection-threshold"), knobs.getLeakDetectionThreshold(), b::leakDetectionThreshold);
        set(knob("abandon-timeout"), knobs.getAbandonTimeout(), b::abandonTimeout);
        set(knob("initialization-fail-timeout"), knobs.getInitializationFailTimeout(), b::initializationFailTimeout);
        set(knob("shutdown-timeout"), knobs.getShutdownTimeout(), b::shutdownTimeout);
        set(knob("housekeeping-period"), knobs.getHousekeepingPeriod(), b::housekeepingPeriod);
        set(knob("max-concurrent-creates"), knobs.getMaxConcurrentCreates(), b::maxConcurrentCreates);
        set(knob("auto-commit"), knobs.isAutoCommit(), b::autoCommit);
        set(knob("read-only"), knobs.isReadOnly(), b::readOnly);
        set(knob("transaction-isolation"), knobs.getTransactionIsolation(), (String v) -> b.transactionIsolation(v));
        set(knob("catalog"), knobs.getCatalog(), b::catalog);
        set(knob("schema"), knobs.getSchema(), b::schema);
        set(knob("connection-init-sql"), knobs.getConnectionInitSql(), b::connectionInitSql);
        set(knob("nested-acquisition"), knobs.getNestedAcquisition(), b::nestedAcquisition);
        set(knob("register-mbeans"), knobs.getRegisterMbeans() != null ? knobs.getRegisterMbeans() : jmxEnabled,
                b::registerMbeans);
        set(knob("breaker-failure-threshold"), knobs.getBreakerFailureThreshold(), b::breakerFailureThreshold);
        set(knob("breaker-failure-rate-threshold"), knobs.getBreakerFailureRateThreshold(), b::breakerFailureRateThreshold);
        set(knob("breaker-window"), knobs.getBreakerWindow(), b::breakerWindow);
        set(knob("breaker-max-probe-interval"), knobs.getBreakerMaxProbeInterval(), b::breakerMaxProbeInterval);
        set(knob("sizing"), knobs.getSizing(), b::sizing);
        set(knob("sizing-headroom"), knobs.getSizingHeadroom(), b::sizingHeadroom);
        set(knob("sizing-interval"), knobs.getSizingInterval(), b::sizingInterval);
        set(knob("sizing-instances"), knobs.getSizingInstances(), b::sizingInstances);
        for (Map.Entry<String, String> e : knobs.getDataSourceProperties().entrySet()) {
            b.dataSourceProperty(e.getKey(), e.getValue());
        }
        try {
            return b.build();
        } catch (InvalidConfigException e) {
            // A rule between knobs: the exception names the knob it blames.
            throw new InvalidSluiceConfigurationException(propertyOf(e.knob()), e);
        }
    }

    private static String knob(String kebabName) {
        return SluiceProperties.PREFIX + "." + kebabName;
    }

    private static <T> void set(String property, T value, Consumer<T> setter) {
        if (value == null) {
            return; // not set: Sluice's default applies
        }
        try {
            setter.accept(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidSluiceConfigurationException(property, e);
        }
    }

    /** The Spring property of a Sluice knob, or null if there is none. */
    static String propertyOf(String knob) {
        if (knob == null || knob.isEmpty()) {
            return null;
        }
        return switch (knob) {
            case "jdbcUrl" -> "spring.datasource.url";
            case "username", "password" -> "spring.datasource." + knob;
            case "driverClassName" -> "spring.datasource.driver-class-name";
            default -> knob(kebab(knob));
        };
    }

    private static String kebab(String camel) {
        StringBuilder s = new StringBuilder(camel.length() + 4);
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                s.append('-').append(Character.toLowerCase(c));
            } else {
                s.append(c);
            }
        }
        return s.toString().toLowerCase(Locale.ROOT);
    }
}
