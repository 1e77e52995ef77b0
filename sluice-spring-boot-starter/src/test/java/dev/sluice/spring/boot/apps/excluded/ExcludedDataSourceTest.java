package dev.sluice.spring.boot.apps.excluded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.SluiceDataSource;
import dev.sluice.spring.boot.apps.jpa.GreetingRepository;
import dev.sluice.spring.boot.apps.jpa.JpaApplication;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Excluding Boot's data source turns Sluice's off too, however it is excluded, as it does for HikariCP. */
class ExcludedDataSourceTest {

    private static ConfigurableApplicationContext start(Class<?> application, String... properties) {
        return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
                .properties("spring.datasource.url=jdbc:h2:mem:excluded", "spring.main.banner-mode=off")
                .properties(properties).run();
    }

    @Test
    void withoutExclusionsTheSameKindOfApplicationRunsOnSluice() {
        try (ConfigurableApplicationContext context = start(JpaApplication.class)) {
            assertThat(context.getBean(DataSource.class)).isInstanceOf(SluiceDataSource.class);
            assertThat(context.getBeansOfType(GreetingRepository.class)).hasSize(1);
        }
    }

    @Test
    void excludingDataSourceAutoConfigurationInTheAnnotationLeavesTheApplicationWithoutAPool() {
        try (ConfigurableApplicationContext context = start(ApplicationWithoutDataSource.class)) {
            assertThat(context.getBeansOfType(DataSource.class)).isEmpty();
            assertThat(context.getBeansOfType(ReadingRepository.class)).as("JPA repositories stay off").isEmpty();
        }
    }

    @Test
    void excludingDataSourceAutoConfigurationByPropertyLeavesTheApplicationWithoutAPool() {
        try (ConfigurableApplicationContext context = start(JpaApplication.class, "spring.autoconfigure.exclude="
                + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                + "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration,"
                + "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration")) {
            assertThat(context.getBeansOfType(DataSource.class)).isEmpty();
            assertThat(context.getBeansOfType(GreetingRepository.class)).as("JPA repositories stay off").isEmpty();
        }
    }
}
