package dev.sluice.spring.boot;

import dev.sluice.CredentialsProvider;
import dev.sluice.InvalidConfigException;
import dev.sluice.SluiceConfig;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
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
     * @param isSet        whether the application set a knob (kebab-case name); unset knobs are left
     *                     to Sluice, which derives them from the ones that were set
     * @param jmxEnabled   {@code spring.jmx.enabled}: the default of {@code register-mbeans}
     * @param credentialsProvider the application's {@link CredentialsProvider} bean, or null
     * @throws InvalidSluiceConfigurationException naming the property whose value Sluice rejected
     */
    static SluiceConfig bind(JdbcConnectionDetails connection, String dataSourceName, SluiceProperties knobs,
            Predicate<String> isSet, boolean jmxEnabled, CredentialsProvider credentialsProvider) {
        SluiceConfig.Builder b = SluiceConfig.builder();
        if (credentialsProvider != null) {
            b.credentialsProvider(credentialsProvider);
        }
        set("spring.datasource.url", connection.getJdbcUrl(), b::jdbcUrl);
        set("spring.datasource.username", connection.getUsername(), b::username);
        // Boot supplies an empty password for embedded databases; with a provider it would only conflict.
        if (credentialsProvider == null || StringUtils.hasLength(connection.getPassword())) {
            set("spring.datasource.password", connection.getPassword(), b::password);
        }
        set("spring.datasource.driver-class-name", connection.getDriverClassName(), b::driverClassName);
        if (StringUtils.hasText(knobs.getPoolName())) {
            knob(isSet, "pool-name", knobs.getPoolName(), b::poolName);
        } else if (StringUtils.hasText(dataSourceName)) {
            set("spring.datasource.name", dataSourceName, b::poolName);
        }

        knob(isSet, "maximum-pool-size", knobs.getMaximumPoolSize(), b::maximumPoolSize);
        knob(isSet, "minimum-idle", knobs.getMinimumIdle(), b::minimumIdle);
        knob(isSet, "max-idle", knobs.getMaxIdle(), b::maxIdle);
        knob(isSet, "connection-timeout", knobs.getConnectionTimeout(), b::connectionTimeout);
        knob(isSet, "validation-timeout", knobs.getValidationTimeout(), b::validationTimeout);
        knob(isSet, "validation-bypass-window", knobs.getValidationBypassWindow(), b::validationBypassWindow);
        knob(isSet, "connection-test-query", knobs.getConnectionTestQuery(), b::connectionTestQuery);
        knob(isSet, "idle-timeout", knobs.getIdleTimeout(), b::idleTimeout);
        knob(isSet, "max-idle-time", knobs.getMaxIdleTime(), b::maxIdleTime);
        knob(isSet, "max-lifetime", knobs.getMaxLifetime(), b::maxLifetime);
        knob(isSet, "keepalive-time", knobs.getKeepaliveTime(), b::keepaliveTime);
        knob(isSet, "leak-detection-threshold", knobs.getLeakDetectionThreshold(), b::leakDetectionThreshold);
        knob(isSet, "leak-detection-stacks", knobs.getLeakDetectionStacks(), b::leakDetectionStacks);
        knob(isSet, "abandon-timeout", knobs.getAbandonTimeout(), b::abandonTimeout);
        knob(isSet, "initialization-fail-timeout", knobs.getInitializationFailTimeout(), b::initializationFailTimeout);
        knob(isSet, "shutdown-timeout", knobs.getShutdownTimeout(), b::shutdownTimeout);
        knob(isSet, "housekeeping-period", knobs.getHousekeepingPeriod(), b::housekeepingPeriod);
        knob(isSet, "max-concurrent-creates", knobs.getMaxConcurrentCreates(), b::maxConcurrentCreates);
        knob(isSet, "auto-commit", knobs.isAutoCommit(), b::autoCommit);
        knob(isSet, "read-only", knobs.isReadOnly(), b::readOnly);
        knob(isSet, "require-primary", knobs.isRequirePrimary(), b::requirePrimary);
        knob(isSet, "transaction-isolation", knobs.getTransactionIsolation(), (String v) -> b.transactionIsolation(v));
        knob(isSet, "catalog", knobs.getCatalog(), b::catalog);
        knob(isSet, "schema", knobs.getSchema(), b::schema);
        knob(isSet, "connection-init-sql", knobs.getConnectionInitSql(), b::connectionInitSql);
        knob(isSet, "nested-acquisition", knobs.getNestedAcquisition(), b::nestedAcquisition);
        set(knob("register-mbeans"), knobs.getRegisterMbeans() != null ? knobs.getRegisterMbeans() : jmxEnabled,
                b::registerMbeans);
        knob(isSet, "breaker-failure-threshold", knobs.getBreakerFailureThreshold(), b::breakerFailureThreshold);
        knob(isSet, "breaker-failure-rate-threshold", knobs.getBreakerFailureRateThreshold(), b::breakerFailureRateThreshold);
        knob(isSet, "breaker-window", knobs.getBreakerWindow(), b::breakerWindow);
        knob(isSet, "breaker-max-probe-interval", knobs.getBreakerMaxProbeInterval(), b::breakerMaxProbeInterval);
        knob(isSet, "sizing", knobs.getSizing(), b::sizing);
        knob(isSet, "sizing-headroom", knobs.getSizingHeadroom(), b::sizingHeadroom);
        knob(isSet, "sizing-interval", knobs.getSizingInterval(), b::sizingInterval);
        knob(isSet, "sizing-instances", knobs.getSizingInstances(), b::sizingInstances);
        knob(isSet, "pgbouncer", knobs.getPgbouncer(), b::pgbouncer);
        knob(isSet, "fleet", knobs.getFleet(), b::fleet);
        knob(isSet, "fleet-instance", knobs.getFleetInstance(), b::fleetInstance);
        knob(isSet, "fleet-budget", knobs.getFleetBudget(), b::fleetBudget);
        knob(isSet, "fleet-interval", knobs.getFleetInterval(), b::fleetInterval);
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

    /** Passes a knob on only when the application set it, so Sluice can derive the others from it. */
    private static <T> void knob(Predicate<String> isSet, String kebabName, T value, Consumer<T> setter) {
        if (isSet.test(kebabName)) {
            set(knob(kebabName), value, setter);
        }
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
