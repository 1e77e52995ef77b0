package dev.sluice.spring.boot.apps.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.SluiceDataSource;
import dev.sluice.spring.boot.apps.RequirePostgres;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase.Replace;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A JDBC slice against the real database keeps the application's pool: Sluice, from spring.datasource.*. */
@ExtendWith(RequirePostgres.class)
@JdbcTest(properties = {"spring.datasource.url=" + RequirePostgres.URL, "spring.datasource.username=postgres",
        "spring.datasource.sluice.pool-name=jdbc-slice"})
@AutoConfigureTestDatabase(replace = Replace.NONE)
class JdbcTestOnPostgresTest {

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Test
    void theSlicesDataSourceIsTheSluicePoolOfTheProperties() {
        assertThat(dataSource).isInstanceOf(SluiceDataSource.class);
        assertThat(((SluiceDataSource) dataSource).poolName()).isEqualTo("jdbc-slice");
    }

    @Test
    void jdbcClientQueriesPostgresThroughThePool() {
        assertThat(jdbc.sql("select current_database()").query(String.class).single()).isEqualTo("test");
    }
}
