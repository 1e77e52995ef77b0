package dev.sluice.spring.boot;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.SluiceConfig;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * A knob added to Sluice reaches Spring users only if the starter binds it. This test fails when
 * {@link SluiceConfig#propertyNames()} has a knob that {@code spring.datasource.sluice.*} does not
 * bind and that is not listed below as a deliberate exception with its reason.
 */
class SluicePropertiesCoverageTest {

    /** Knobs the starter does not bind as {@code spring.datasource.sluice.<kebab-name>}, and why. */
    private static final Map<String, String> NOT_BOUND_AS_KNOBS = Map.ofEntries(
            entry("jdbcUrl", "spring.datasource.url (or a service connection's JdbcConnectionDetails)"),
            entry("username", "spring.datasource.username (or a service connection's JdbcConnectionDetails)"),
            entry("password", "spring.datasource.password (or a service connection's JdbcConnectionDetails)"),
            entry("driverClassName", "spring.datasource.driver-class-name, or derived by Boot from the URL"),
            entry("credentialsProvider", "an application's CredentialsProvider bean, passed to bind()"),
            entry("credentialsProviderClassName", "a CredentialsProvider bean is Spring's way to supply one; a class"
                    + " name would build an object outside the container"),
            entry("dataSource", "an object, not a property; the starter connects through JdbcConnectionDetails"),
            entry("dataSourceClassName", "not supported by the starter yet: it connects through JdbcConnectionDetails"
                    + " (URL and driver), which has no DataSource class"),
            entry("dataSourceProperties", "a map, spring.datasource.sluice.data-source-properties.*:"
                    + " checked by driverPropertiesAreBound"),
            entry("registerMbeans", "always passed on, defaulting to spring.jmx.enabled: checked by registerMbeansFollowsJmx"),
            // HikariCP-only names: Sluice accepts them so a HikariCP Properties file still loads. Spring
            // users' spring.datasource.hikari.* is translated by HikariPropertyMigration instead.
            entry("allowPoolSuspension", "HikariCP-only, inert: suspend/resume are always available"),
            entry("isolateInternalQueries", "HikariCP-only, inert: validation runs no statement in the caller's transaction"),
            entry("jdbc4ConnectionTest", "HikariCP-only, inert: removed from HikariCP"),
            entry("exceptionOverrideClassName", "HikariCP-only, inert: Sluice classifies failures itself"),
            entry("exceptionOverride", "HikariCP-only, inert: Sluice classifies failures itself"),
            entry("healthCheckProperties", "HikariCP-only, inert: the actuator health indicator replaces it"),
            entry("healthCheckRegistry", "HikariCP-only, inert: the actuator health indicator replaces it"),
            entry("metricRegistry", "HikariCP-only, inert: sluice-micrometer replaces it"),
            entry("metricsTrackerFactory", "HikariCP-only, inert: sluice-micrometer replaces it"),
            entry("threadFactory", "HikariCP-only, inert: Sluice names its own threads"),
            entry("scheduledExecutor", "HikariCP-only, inert: Sluice schedules its own work"),
            entry("initializationFailFast", "HikariCP-only, deprecated there: initialization-fail-timeout replaces it"),
            entry("dataSourceJNDI", "HikariCP-only, refused by Sluice: a JNDI DataSource is Boot's spring.datasource.jndi-name"),
            entry("credentials", "HikariCP-only, refused by Sluice: use username/password or a CredentialsProvider"));

    private static final JdbcConnectionDetails H2 = new JdbcConnectionDetails() {
        @Override
        public String getJdbcUrl() {
            return "jdbc:h2:mem:coverage";
        }

        @Override
        public String getUsername() {
            return "sa";
        }

        @Override
        public String getPassword() {
            return "";
        }
    };

    @Test
    void everySluiceKnobIsBoundOrListedWithAReason() {
        Set<String> asked = new TreeSet<>();
        SluiceProperties knobs = new SluiceProperties();
        knobs.setPoolName("coverage"); // pool-name is consulted only when set, else spring.datasource.name wins
        SluiceConfigBinding.bind(H2, null, knobs, kebab -> {
            asked.add(kebab);
            return false;
        }, false, null);

        Set<String> unbound = new TreeSet<>();
        for (String knob : SluiceConfig.propertyNames()) {
            if (!asked.contains(kebab(knob)) && !NOT_BOUND_AS_KNOBS.containsKey(knob)) {
                unbound.add(knob + " (spring.datasource.sluice." + kebab(knob) + ")");
            }
        }
        assertThat(unbound).as("knobs the starter neither binds nor lists with a reason").isEmpty();
        assertThat(NOT_BOUND_AS_KNOBS.keySet()).as("exceptions for knobs Sluice no longer has")
                .isSubsetOf(SluiceConfig.propertyNames());
        Set<String> listedButBound = new TreeSet<>(NOT_BOUND_AS_KNOBS.keySet());
        listedButBound.removeIf(knob -> !asked.contains(kebab(knob)));
        assertThat(listedButBound).as("listed as not bound, yet bound").isEmpty();
    }

    @Test
    void driverPropertiesAreBound() {
        SluiceProperties knobs = new SluiceProperties();
        knobs.getDataSourceProperties().put("ssl", "true");
        SluiceConfig config = SluiceConfigBinding.bind(H2, null, knobs, kebab -> false, false, null);
        assertThat(config.dataSourceProperties()).containsEntry("ssl", "true");
    }

    @Test
    void registerMbeansFollowsJmx() {
        assertThat(SluiceConfigBinding.bind(H2, null, new SluiceProperties(), kebab -> false, true, null).registerMbeans())
                .isTrue();
        assertThat(SluiceConfigBinding.bind(H2, null, new SluiceProperties(), kebab -> false, false, null).registerMbeans())
                .isFalse();
    }

    /** The Spring property name of a knob: maxLifetime is max-lifetime. */
    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
