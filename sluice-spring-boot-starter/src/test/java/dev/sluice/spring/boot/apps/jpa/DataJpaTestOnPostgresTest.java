package dev.sluice.spring.boot.apps.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.SluiceDataSource;
import dev.sluice.spring.boot.apps.RequirePostgres;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase.Replace;

/** A JPA slice against the real database keeps the application's pool: Sluice, from spring.datasource.*. */
@ExtendWith(RequirePostgres.class)
@DataJpaTest(properties = {"spring.datasource.url=" + RequirePostgres.URL, "spring.datasource.username=postgres",
        "spring.datasource.sluice.pool-name=jpa-slice", "spring.jpa.hibernate.ddl-auto=create-drop"})
@AutoConfigureTestDatabase(replace = Replace.NONE)
class DataJpaTestOnPostgresTest {

    @Autowired
    DataSource dataSource;

    @Autowired
    GreetingRepository greetings;

    @Test
    void theSlicesDataSourceIsTheSluicePoolOfTheProperties() {
        assertThat(dataSource).isInstanceOf(SluiceDataSource.class);
        assertThat(((SluiceDataSource) dataSource).poolName()).isEqualTo("jpa-slice");
    }

    @Test
    void repositoriesReadWhatTheyWroteThroughThePool() {
        greetings.save(new Greeting("hello from a slice"));
        assertThat(greetings.findByText("hello from a slice")).singleElement()
                .extracting(Greeting::getText).isEqualTo("hello from a slice");
        assertThat(((SluiceDataSource) dataSource).stats().inUse()).as("the test's transaction holds one connection")
                .isEqualTo(1);
    }
}
