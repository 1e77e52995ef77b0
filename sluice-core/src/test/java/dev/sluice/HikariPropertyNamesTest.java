package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Every HikariCP property name means something in Sluice; any other name is a typo with a suggestion. */
class HikariPropertyNamesTest {

    private static Properties props(String... pairs) {
        Properties p = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        return p;
    }

    private static Object get(Object bean, String getter) throws ReflectiveOperationException {
        return bean.getClass().getMethod(getter).invoke(bean);
    }

    @Test
    void hikariPropertiesWithoutAnEffectAreAcceptedAndNamed() {
        SluiceConfig c = SluiceConfig.fromProperties(props("jdbcUrl", "jdbc:stub:x", "allowPoolSuspension", "false",
                "isolateInternalQueries", "true", "jdbc4ConnectionTest", "true", "exceptionOverrideClassName", "com.example.Override",
                "healthCheckProperties", "connectivityCheckTimeoutMs=1000", "metricRegistry", "java:comp/env/metrics"));
        assertThat(c.inertProperties()).containsExactly("allowPoolSuspension", "exceptionOverrideClassName",
                "healthCheckProperties", "isolateInternalQueries", "jdbc4ConnectionTest", "metricRegistry");
        assertThat(c.toString()).contains("withoutEffect=[allowPoolSuspension");
        assertThatThrownBy(() -> SluiceConfig.fromProperties(props("jdbcUrl", "jdbc:stub:x", "allowPoolSuspension", "yes")))
                .hasMessage("allowPoolSuspension='yes' must be true or false");
    }

    @Test
    void legacyInitializationFailFastMapsOntoInitializationFailTimeout() {
        assertThat(SluiceConfig.fromProperties(props("jdbcUrl", "jdbc:stub:x", "initializationFailFast", "false"))
                .initializationFailTimeout()).isEqualTo(Duration.ofMillis(-1));
    }

    @Test
    void jndiIsRefusedWithTheSluiceWay() {
        assertThatThrownBy(() -> SluiceConfig.fromProperties(props("dataSourceJNDI", "java:comp/env/jdbc/app")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.knob()).isEqualTo("dataSourceJNDI");
                    assertThat(e.getMessage()).contains("builder().dataSource(ds)");
                });
    }

    @Test
    void anUnknownNameSuggestsTheClosestKnownOne() {
        assertThatThrownBy(() -> SluiceConfig.fromProperties(props("jdbcUrl", "jdbc:stub:x", "maxPoolSize", "5")))
                .hasMessage("unknown property 'maxPoolSize'; did you mean maximumPoolSize?");
        assertThatThrownBy(() -> SluiceConfig.fromProperties(props("jdbcUrl", "jdbc:stub:x", "maximum-pool-size", "5")))
                .hasMessage("unknown property 'maximum-pool-size'; did you mean maximumPoolSize?");
        assertThatThrownBy(() -> SluiceConfig.fromProperties(props("jdbcUrl", "jdbc:stub:x", "dataSourceClassname", "x")))
                .hasMessage("unknown property 'dataSourceClassname'; did you mean dataSourceClassName?");
        assertThatThrownBy(() -> SluiceConfig.fromProperties(props("jdbcUrl", "jdbc:stub:x", "colour", "blue")))
                .hasMessageStartingWith("unknown property 'colour'; neither Sluice nor HikariCP has it")
                .hasMessageNotContaining("maximumPoolSize");
    }

    @Test
    void dataSourceClassNameSetsBeanPropertiesWithTypeConversion() throws Exception {
        Properties p = props("dataSourceClassName", "org.h2.jdbcx.JdbcDataSource", "dataSource.url", "jdbc:h2:mem:beans;DB_CLOSE_DELAY=-1",
                "dataSource.loginTimeout", "7", "dataSource.description", "corpus", "username", "sa", "password", "",
                "minimumIdle", "1", "maximumPoolSize", "2");
        SluiceConfig c = SluiceConfig.fromProperties(p);
        // Reflection, not the type: H2's and pgjdbc's DataSources implement javax.naming types, which
        // this module's test compilation does not read.
        DataSource h2 = c.dataSource();
        assertThat(h2.getClass().getName()).isEqualTo("org.h2.jdbcx.JdbcDataSource");
        assertThat(get(h2, "getURL")).isEqualTo("jdbc:h2:mem:beans;DB_CLOSE_DELAY=-1");
        assertThat(h2.getLoginTimeout()).isEqualTo(7);
        assertThat(get(h2, "getDescription")).isEqualTo("corpus");
        try (SluiceDataSource ds = new SluiceDataSource(c); Connection conn = ds.getConnection();
                ResultSet rs = conn.createStatement().executeQuery("select 1")) {
            assertThat(rs.next()).isTrue();
        }
    }

    @Test
    void pgjdbcBeanPropertiesConvertToIntAndBoolean() throws Exception {
        SluiceConfig c = SluiceConfig.fromProperties(props("dataSourceClassName", "org.postgresql.ds.PGSimpleDataSource",
                "dataSource.serverName", "db.example", "dataSource.portNumber", "6543", "dataSource.databaseName", "app",
                "dataSource.ssl", "false", "initializationFailTimeout", "-1"));
        DataSource pg = c.dataSource();
        assertThat(pg.getClass().getName()).isEqualTo("org.postgresql.ds.PGSimpleDataSource");
        assertThat((int[]) get(pg, "getPortNumbers")).containsExactly(6543);
        assertThat((String[]) get(pg, "getServerNames")).containsExactly("db.example");
        assertThat(get(pg, "getDatabaseName")).isEqualTo("app");
        assertThat(get(pg, "isSsl")).isEqualTo(false);
    }

    @Test
    void aMissingClassOrSetterIsNamedWithEveryProblemAtOnce() {
        assertThatThrownBy(() -> SluiceConfig.fromProperties(props("dataSourceClassName", "org.example.NoSuchDataSource")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.knob()).isEqualTo("dataSourceClassName");
                    assertThat(e.getMessage()).contains("is not on the class path");
                });
        assertThatThrownBy(() -> SluiceConfig.fromProperties(props("dataSourceClassName", "org.h2.jdbcx.JdbcDataSource",
                "dataSource.url", "jdbc:h2:mem:x", "dataSource.ulr", "jdbc:h2:mem:y", "dataSource.loginTimeout", "soon")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.violations()).extracting(InvalidConfigException.Violation::knob)
                            .containsExactly("dataSource.loginTimeout", "dataSource.ulr");
                    assertThat(e.getMessage()).contains("dataSource.ulr: org.h2.jdbcx.JdbcDataSource has no setter setUlr(...);"
                            + " did you mean dataSource.url?")
                            .contains("dataSource.loginTimeout=soon cannot be converted to int");
                });
    }

    @Test
    void dataSourceClassNameAndJdbcUrlTogetherAreAContradiction() {
        assertThatThrownBy(() -> SluiceConfig.fromProperties(props("dataSourceClassName", "org.h2.jdbcx.JdbcDataSource",
                "jdbcUrl", "jdbc:h2:mem:x")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.knob()).isEqualTo("dataSourceClassName"));
    }

    @Test
    void everyHikariPropertyNameIsAccepted() {
        // HikariCP's configuration properties (HikariConfig), besides the object-valued ones.
        for (String name : new String[] {"allowPoolSuspension", "autoCommit", "catalog", "connectionInitSql",
                "connectionTestQuery", "connectionTimeout", "dataSourceClassName", "dataSourceJNDI", "driverClassName",
                "exceptionOverrideClassName", "healthCheckProperties", "idleTimeout", "initializationFailTimeout",
                "isolateInternalQueries", "jdbcUrl", "keepaliveTime", "leakDetectionThreshold", "maxLifetime", "maximumPoolSize",
                "metricRegistry", "minimumIdle", "password", "poolName", "readOnly", "registerMbeans", "schema",
                "transactionIsolation", "username", "validationTimeout", "healthCheckRegistry", "metricsTrackerFactory",
                "threadFactory", "scheduledExecutor", "dataSource", "dataSourceProperties", "initializationFailFast",
                "jdbc4ConnectionTest"}) {
            assertThat(SluiceConfig.propertyNames()).as(name).contains(name);
        }
    }
}
