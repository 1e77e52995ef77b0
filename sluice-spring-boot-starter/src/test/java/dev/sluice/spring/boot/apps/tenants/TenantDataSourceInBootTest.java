package dev.sluice.spring.boot.apps.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.FailureReason;
import dev.sluice.SluiceFailure;
import dev.sluice.TenantDataSource;
import dev.sluice.TenantMode;
import dev.sluice.spring.boot.apps.RequirePostgres;
import dev.sluice.spring.boot.apps.jpa.GreetingRepository;
import dev.sluice.spring.boot.apps.jpa.JpaApplication;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code spring.datasource.sluice.tenants.*} in a real Spring Boot application: the DataSource is a
 * TenantDataSource, JdbcTemplate reaches the tenant the application's resolver names, and start-up
 * fails with the reason when the resolver is missing or a tenant knob is wrong.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(OutputCaptureExtension.class)
class TenantDataSourceInBootTest {

    @AfterEach
    void noTenantLeftOnTheTestThread() {
        RequestTenant.clear();
    }

    private static ConfigurableApplicationContext start(Class<?> application, String... properties) {
        // A plain JDBC application: JPA is on this module's test class path for other tests, and its
        // bootstrap borrows a connection outside any request, where this resolver names no tenant.
        return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "spring.sql.init.mode=never",
                        "spring.autoconfigure.exclude=org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration,"
                                + "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration")
                .properties(properties).run();
    }

    /** Two schemas in the local PostgreSQL, each with a marker table holding the tenant's own id. */
    @Nested
    @ExtendWith(RequirePostgres.class)
    class OnPostgres {
        private static final List<String> TENANTS = List.of("sluice_boot_tenant_a", "sluice_boot_tenant_b");

        @BeforeAll
        static void createSchemas() throws SQLException {
            for (String t : TENANTS) {
                execute("DROP SCHEMA IF EXISTS " + t + " CASCADE", "CREATE SCHEMA " + t, "CREATE TABLE " + t + ".marker(tenant TEXT)",
                        "INSERT INTO " + t + ".marker VALUES ('" + t + "')");
            }
        }

        @AfterAll
        static void dropSchemas() throws SQLException {
            for (String t : TENANTS) {
                execute("DROP SCHEMA IF EXISTS " + t + " CASCADE");
            }
        }

        private static void execute(String... statements) throws SQLException {
            try (Connection c = DriverManager.getConnection(RequirePostgres.URL, "postgres", "");
                    Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            }
        }

        @Test
        void jdbcTemplateReadsTheMarkerOfTheTenantTheResolverNames(CapturedOutput output) throws Exception {
            TenantDataSource tenants;
            try (ConfigurableApplicationContext context = start(TenantApplication.class,
                    "spring.datasource.url=" + RequirePostgres.URL, "spring.datasource.username=postgres",
                    "spring.datasource.sluice.pool-name=boot-tenants",
                    "spring.datasource.sluice.tenants.enabled=true",
                    "spring.datasource.sluice.tenants.global-maximum-pool-size=3",
                    "spring.datasource.sluice.tenants.tenant-maximum-pool-size=2")) {
                DataSource dataSource = context.getBean(DataSource.class);
                assertThat(dataSource).isInstanceOf(TenantDataSource.class);
                tenants = (TenantDataSource) dataSource;
                JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                for (String t : List.of("sluice_boot_tenant_a", "sluice_boot_tenant_b", "sluice_boot_tenant_a")) {
                    RequestTenant.set(t);
                    assertThat(jdbc.queryForObject("SELECT tenant FROM marker", String.class)).isEqualTo(t);
                }
                assertThat(tenants.stats().mode()).isEqualTo(TenantMode.SCHEMA);
                assertThat(tenants.stats().globalMaximumPoolSize()).isEqualTo(3);
                assertThat(tenants.toString()).contains("boot-tenants");

                Health health = ((HealthIndicator) context.getBean("sluiceTenantsHealthContributor")).health();
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails()).containsEntry("mode", "SCHEMA").containsEntry("globalMaximumPoolSize", 3)
                        .containsKeys("open", "inUse", "idle", "waiting", "busiestTenants");

                RequestTenant.clear();
                assertThatThrownBy(() -> jdbc.queryForObject("SELECT 1", Integer.class))
                        .rootCause().satisfies(e -> assertThat(SluiceFailure.reasonOf(e)).contains(FailureReason.NO_TENANT));
            }
            RequestTenant.set("sluice_boot_tenant_a");
            assertThatThrownBy(tenants::getConnection).as("closed with the context")
                    .satisfies(e -> assertThat(SluiceFailure.reasonOf(e)).contains(FailureReason.POOL_CLOSED));
            assertThat(output).contains("boot-tenants - closed");
        }
    }

    @Test
    void withoutAResolverBeanStartUpFailsNamingTheMissingBean(CapturedOutput output) {
        assertThatThrownBy(() -> start(TenantApplication.WithoutResolver.class,
                "spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID(), "spring.datasource.sluice.tenants.enabled=true"))
                .rootCause().hasMessage("spring.datasource.sluice.tenants.enabled=true needs a bean of type dev.sluice.TenantResolver"
                        + " to tell each borrow's tenant, and the application context has none");
        assertThat(output).contains("Define a bean of type dev.sluice.TenantResolver");
    }

    @Test
    void aWrongTenantKnobStopsStartUpNamingItsSpringProperty() {
        assertThatThrownBy(() -> start(TenantApplication.class,
                "spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID(), "spring.datasource.sluice.tenants.enabled=true",
                "spring.datasource.sluice.tenants.global-maximum-pool-size=3",
                "spring.datasource.sluice.tenants.tenant-maximum-pool-size=5"))
                .rootCause().hasMessage("tenantMaximumPoolSize=5 must be between 1 and globalMaximumPoolSize (3)");
        assertThatThrownBy(() -> start(TenantApplication.class,
                "spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID(), "spring.datasource.sluice.tenants.enabled=true",
                "spring.datasource.sluice.tenants.mode=DATABASE", "spring.datasource.sluice.tenants.tenant-url=jdbc:h2:mem:x"))
                .rootCause().hasMessageContaining("tenant-url='jdbc:h2:mem:x' must contain {tenant}");
    }

    @Test
    void aJpaApplicationStartsWhenHibernateIsToldTheDialectInsteadOfReadingTheDatabase() {
        // No tenant at start-up: what the README advises for JPA, and that it is enough.
        String run = "jpa" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(JpaApplication.class, TenantApplication.class)
                .web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "spring.datasource.url=jdbc:h2:mem:" + run + ";DB_CLOSE_DELAY=-1",
                        "spring.datasource.sluice.tenants.enabled=true",
                        "spring.jpa.database-platform=org.hibernate.dialect.H2Dialect",
                        "spring.jpa.properties.hibernate.boot.allow_jdbc_metadata_access=false")
                .run()) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            RequestTenant.set("PUBLIC");
            jdbc.execute("CREATE TABLE sluice_starter_greeting(id BIGINT PRIMARY KEY, text VARCHAR(100))");
            GreetingRepository greetings = context.getBean(GreetingRepository.class);
            assertThat(greetings.count()).isZero();
        }
    }

    @Test
    void databaseModeBindsTheTenantUrlTemplateReservesAndWeights() {
        String run = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (ConfigurableApplicationContext context = start(TenantApplication.class,
                "spring.datasource.url=jdbc:h2:mem:" + run, "spring.datasource.sluice.tenants.enabled=true",
                "spring.datasource.sluice.tenants.mode=DATABASE",
                "spring.datasource.sluice.tenants.tenant-url=jdbc:h2:mem:" + run + "_{tenant};DB_CLOSE_DELAY=-1",
                "spring.datasource.sluice.tenants.global-maximum-pool-size=4",
                "spring.datasource.sluice.tenants.tenant-maximum-pool-size=2",
                "spring.datasource.sluice.tenants.tenant-idle-timeout=1m",
                "spring.datasource.sluice.tenants.reserve.gold=2",
                "spring.datasource.sluice.tenants.weight.gold=3")) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            for (String t : List.of("gold", "silver")) {
                RequestTenant.set(t);
                jdbc.execute("CREATE TABLE marker(tenant VARCHAR(64))");
                jdbc.update("INSERT INTO marker VALUES (?)", t);
            }
            for (String t : List.of("silver", "gold")) {
                RequestTenant.set(t);
                assertThat(jdbc.queryForObject("SELECT tenant FROM marker", String.class)).isEqualTo(t);
            }
            TenantDataSource tenants = context.getBean(TenantDataSource.class);
            assertThat(tenants.stats().mode()).isEqualTo(TenantMode.DATABASE);
            assertThat(tenants.stats().tenantPools()).containsOnlyKeys("gold", "silver");
        }
    }
}
