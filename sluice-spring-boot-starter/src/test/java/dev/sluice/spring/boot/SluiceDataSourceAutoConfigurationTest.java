package dev.sluice.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.NestedAcquisition;
import dev.sluice.Sizing;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import javax.management.ObjectName;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** Which pool an application gets, and how the properties reach it. HikariCP is on this test class path on purpose. */
@ExtendWith(OutputCaptureExtension.class)
class SluiceDataSourceAutoConfigurationTest {

    private static String h2Url() {
        return "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SluiceDataSourceAutoConfiguration.class, DataSourceAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=" + h2Url(), "spring.datasource.username=sa");

    private static int selectOne(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("select 1")) {
            r.next();
            return r.getInt(1);
        }
    }

    @Test
    void withTheStarterTheApplicationsDataSourceIsSluiceEvenWithHikariOnTheClassPath() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(DataSource.class).hasSingleBean(SluiceDataSource.class);
            assertThat(context).doesNotHaveBean(HikariDataSource.class);
            assertThat(context.getBean("dataSource")).isInstanceOf(SluiceDataSource.class);
            assertThat(selectOne(context.getBean(DataSource.class))).isEqualTo(1);
        });
    }

    @Test
    void anApplicationsOwnDataSourceMakesTheStarterBackOff() {
        runner.withUserConfiguration(OwnDataSource.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(DataSource.class).doesNotHaveBean(SluiceDataSource.class);
            assertThat(context.getBean(DataSource.class)).isInstanceOf(SimpleDriverDataSource.class);
        });
    }

    @Test
    void anotherPoolTypeLeavesTheChoiceToBoot() {
        runner.withPropertyValues("spring.datasource.type=com.zaxxer.hikari.HikariDataSource").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(DataSource.class).doesNotHaveBean(SluiceDataSource.class);
            assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
        });
    }

    @Test
    void sluiceAsTheExplicitTypeIsSluiceWithItsKnobs() {
        runner.withPropertyValues("spring.datasource.type=dev.sluice.SluiceDataSource",
                "spring.datasource.sluice.maximum-pool-size=4").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(SluiceDataSource.class);
            assertThat(context.getBean(SluiceDataSource.class).config().maximumPoolSize()).isEqualTo(4);
        });
    }

    @Test
    void bootsOwnDataSourceBuilderPathBuildsAWorkingSluicePool() {
        // Without the starter's auto-configuration: Boot's generic configuration instantiates the type by name.
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withPropertyValues("spring.datasource.type=dev.sluice.SluiceDataSource", "spring.datasource.url=" + h2Url(),
                        "spring.datasource.username=sa")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(SluiceDataSource.class);
                    assertThat(selectOne(context.getBean(DataSource.class))).isEqualTo(1);
                });
    }

    @Test
    void dataSourceBuilderBuildsASluicePoolByType() throws Exception {
        SluiceDataSource ds = DataSourceBuilder.create().type(SluiceDataSource.class).url(h2Url()).username("sa")
                .password("").build();
        try (ds) {
            assertThat(selectOne(ds)).isEqualTo(1);
            assertThat(ds.config().username()).isEqualTo("sa");
        }
    }

    @Test
    void knobsOfEveryKindBindFromKebabCaseProperties() {
        runner.withPropertyValues(
                "spring.datasource.name=orders",
                "spring.datasource.sluice.maximum-pool-size=7",
                "spring.datasource.sluice.minimum-idle=2",
                "spring.datasource.sluice.connection-timeout=3s",
                "spring.datasource.sluice.max-lifetime=600000",
                "spring.datasource.sluice.idle-timeout=1m",
                "spring.datasource.sluice.leak-detection-threshold=250ms",
                "spring.datasource.sluice.nested-acquisition=fail",
                "spring.datasource.sluice.sizing=ADVISORY",
                "spring.datasource.sluice.auto-commit=false",
                "spring.datasource.sluice.read-only=true",
                "spring.datasource.sluice.sizing-headroom=2.5",
                "spring.datasource.sluice.transaction-isolation=READ_COMMITTED",
                "spring.datasource.sluice.data-source-properties.TRACE_LEVEL_FILE=0").run(context -> {
            assertThat(context).hasNotFailed();
            SluiceConfig c = context.getBean(SluiceDataSource.class).config();
            assertThat(c.poolName()).isEqualTo("orders");
            assertThat(c.maximumPoolSize()).isEqualTo(7);
            assertThat(c.minimumIdle()).isEqualTo(2);
            assertThat(c.connectionTimeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(c.maxLifetime()).as("a bare number is milliseconds, as in HikariCP").isEqualTo(Duration.ofMinutes(10));
            assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(1));
            assertThat(c.leakDetectionThreshold()).isEqualTo(Duration.ofMillis(250));
            assertThat(c.nestedAcquisition()).isEqualTo(NestedAcquisition.FAIL);
            assertThat(c.sizing()).isEqualTo(Sizing.ADVISORY);
            assertThat(c.autoCommit()).isFalse();
            assertThat(c.readOnly()).isTrue();
            assertThat(c.sizingHeadroom()).isEqualTo(2.5);
            assertThat(c.transactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
            assertThat(c.dataSourceProperties()).containsEntry("TRACE_LEVEL_FILE", "0");
            assertThat(c.username()).isEqualTo("sa");
        });
    }

    @Test
    void sluicesOwnPoolNameWinsOverTheDataSourceName() {
        runner.withPropertyValues("spring.datasource.name=orders", "spring.datasource.sluice.pool-name=orders-primary")
                .run(context -> assertThat(context.getBean(SluiceDataSource.class).poolName()).isEqualTo("orders-primary"));
    }

    @Test
    void theDefaultsWrittenInSluicePropertiesAreSluicesOwn() throws Exception {
        String url = h2Url();
        SluiceConfig core = SluiceConfig.builder().jdbcUrl(url).username("sa").build();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SluiceDataSourceAutoConfiguration.class, DataSourceAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + url, "spring.datasource.username=sa")
                .run(context -> {
                    SluiceConfig bound = context.getBean(SluiceDataSource.class).config();
                    int compared = 0;
                    for (Method m : SluiceConfig.class.getDeclaredMethods()) {
                        if (!Modifier.isPublic(m.getModifiers()) || Modifier.isStatic(m.getModifiers()) || m.getParameterCount() > 0
                                || m.getReturnType() == void.class
                                || Set.of("poolName", "password", "toBuilder", "toString", "hashCode",
                                        // where values came from, not what they are: register-mbeans is always passed on
                                        "describe", "explicitSettings").contains(m.getName())) {
                            continue;
                        }
                        assertThat(m.invoke(bound)).as(m.getName()).isEqualTo(m.invoke(core));
                        compared++;
                    }
                    assertThat(compared).as("knobs compared").isGreaterThan(30);
                });
    }

    @Test
    void hikariPropertiesWithASluiceTwinAreAppliedUnlessSluicesIsSetAndTheRenameIsSuggestedOnce(CapturedOutput output) {
        runner.withPropertyValues("spring.datasource.hikari.maximum-pool-size=7",
                "spring.datasource.hikari.connectionTimeout=3000", // HikariCP's camelCase, milliseconds
                "spring.datasource.hikari.data-source-properties.TRACE_LEVEL_FILE=0",
                "spring.datasource.hikari.minimum-idle=3", "spring.datasource.sluice.minimum-idle=1").run(context -> {
            assertThat(context).hasNotFailed();
            SluiceConfig c = context.getBean(SluiceDataSource.class).config();
            assertThat(c.maximumPoolSize()).isEqualTo(7);
            assertThat(c.connectionTimeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(c.dataSourceProperties()).containsEntry("TRACE_LEVEL_FILE", "0");
            assertThat(c.minimumIdle()).as("Sluice's own value wins").isEqualTo(1);
        });
        assertThat(output).contains("Sluice applies HikariCP's spring.datasource.hikari.maximum-pool-size,"
                        + " spring.datasource.hikari.connection-timeout,"
                        + " spring.datasource.hikari.data-source-properties.TRACE_LEVEL_FILE; rename them to"
                        + " spring.datasource.sluice.maximum-pool-size")
                .contains("spring.datasource.hikari.minimum-idle is overridden by spring.datasource.sluice.minimum-idle");
        assertThat(output.getOut().split("Sluice applies HikariCP's", -1)).as("one line").hasSize(2);
        assertThat(output).doesNotContain("has no effect");
    }

    @Test
    void hikariPropertiesWithoutASluiceKnobAreReportedAsIneffective(CapturedOutput output) {
        runner.withPropertyValues("spring.datasource.hikari.allow-pool-suspension=true").run(context ->
                assertThat(context).hasNotFailed());
        assertThat(output).contains("spring.datasource.hikari.allow-pool-suspension has no effect: Sluice has no such knob");
    }

    @Test
    void aBadValueTakenFromHikariPropertiesNamesTheHikariProperty() {
        runner.withPropertyValues("spring.datasource.hikari.maximum-pool-size=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessage("maximumPoolSize=0 must be between 1 and 10000");
            Throwable t = context.getStartupFailure();
            while (!(t instanceof InvalidSluiceConfigurationException)) {
                t = t.getCause();
            }
            assertThat(((InvalidSluiceConfigurationException) t).getPropertyName())
                    .isEqualTo("spring.datasource.hikari.maximum-pool-size");
        });
    }

    @Test
    void thePoolClosesWithTheApplicationContext() {
        SluiceDataSource[] seen = new SluiceDataSource[1];
        runner.run(context -> {
            seen[0] = context.getBean(SluiceDataSource.class);
            assertThat(seen[0].isClosed()).isFalse();
        });
        assertThat(seen[0].isClosed()).isTrue();
    }

    @Test
    void jmxRegistrationFollowsSpringJmxEnabledUnlessSetExplicitly() throws Exception {
        ObjectName name = new ObjectName("dev.sluice:type=Pool,name=" + ObjectName.quote("jmx-follows"));
        runner.withPropertyValues("spring.jmx.enabled=true", "spring.datasource.sluice.pool-name=jmx-follows").run(context -> {
            assertThat(context.getBean(SluiceDataSource.class).config().registerMbeans()).isTrue();
            assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(name)).isTrue();
        });
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(name)).as("unregistered on close").isFalse();
        runner.withPropertyValues("spring.datasource.sluice.pool-name=jmx-default").run(context ->
                assertThat(context.getBean(SluiceDataSource.class).config().registerMbeans()).isFalse());
        runner.withPropertyValues("spring.jmx.enabled=true", "spring.datasource.sluice.register-mbeans=false").run(context ->
                assertThat(context.getBean(SluiceDataSource.class).config().registerMbeans()).isFalse());
    }

    @Test
    void aShortMaxLifetimeAloneStartsThePoolWithTheDefaultsThatConflictedWithItDerived() {
        // The usual advice for MySQL's wait_timeout: only max-lifetime is set, and the default
        // idle-timeout (10m) and keepalive-time (2m) must give way to it instead of failing the start.
        runner.withPropertyValues("spring.datasource.sluice.max-lifetime=60s").run(context -> {
            assertThat(context).hasNotFailed();
            SluiceConfig c = context.getBean(SluiceDataSource.class).config();
            assertThat(c.maxLifetime()).isEqualTo(Duration.ofSeconds(60));
            assertThat(c.origin("maxLifetime")).isEqualTo(dev.sluice.KnobOrigin.SET);
            assertThat(c.origin("idleTimeout")).isEqualTo(dev.sluice.KnobOrigin.DERIVED);
            assertThat(c.origin("keepaliveTime")).isEqualTo(dev.sluice.KnobOrigin.DERIVED);
            assertThat(c.origin("connectionTimeout")).as("not set, so not passed on as set").isEqualTo(dev.sluice.KnobOrigin.DEFAULT);
            assertThat(selectOne(context.getBean(DataSource.class))).isEqualTo(1);
        });
        runner.withPropertyValues("spring.datasource.hikari.max-lifetime=300000").run(context -> {
            assertThat(context).hasNotFailed();
            SluiceConfig c = context.getBean(SluiceDataSource.class).config();
            assertThat(c.maxLifetime()).isEqualTo(Duration.ofMinutes(5));
            assertThat(c.origin("idleTimeout")).isEqualTo(dev.sluice.KnobOrigin.DERIVED);
        });
    }

    @Test
    void twoValuesSetThatContradictEachOtherStillStopTheStart() {
        runner.withPropertyValues("spring.datasource.sluice.max-lifetime=60s", "spring.datasource.sluice.idle-timeout=10m")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("idleTimeout=600s must be 0 or less than maxLifetime=60s"));
    }

    @Test
    void aCredentialsProviderBeanSuppliesTheCredentialsOfEveryConnect() {
        runner.withUserConfiguration(TokenCredentials.class).run(context -> {
            assertThat(context).hasNotFailed();
            SluiceDataSource ds = context.getBean(SluiceDataSource.class);
            assertThat(ds.config().credentialsProvider()).isSameAs(context.getBean(dev.sluice.CredentialsProvider.class));
            assertThat(selectOne(ds)).isEqualTo(1);
            assertThat(TokenCredentials.asked.get()).isPositive();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class TokenCredentials {
        static final java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();

        @Bean
        dev.sluice.CredentialsProvider tokens() {
            return () -> {
                asked.incrementAndGet();
                return new dev.sluice.CredentialsProvider.Credentials("sa", "");
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnDataSource {
        @Bean
        DataSource myDataSource() {
            return new SimpleDriverDataSource(new org.h2.Driver(), h2Url(), "sa", "");
        }
    }
}
