package dev.sluice.example.notes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.SluiceDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase.Replace;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.annotation.Import;

/**
 * The repository in Boot's JDBC test slice against the real PostgreSQL, as an application's own
 * tests use it: the slice keeps the application's pool (Sluice, from application.properties), and
 * each test's writes are rolled back.
 */
@ExtendWith(RequirePostgres.class)
@JdbcTest
@AutoConfigureTestDatabase(replace = Replace.NONE)
@Import(NoteRepository.class)
class NoteRepositoryJdbcTest {

    @Autowired
    DataSource dataSource;

    @Autowired
    NoteRepository notes;

    @Test
    void theSliceRunsOnTheApplicationsSluicePool() {
        assertThat(dataSource).isInstanceOf(SluiceDataSource.class);
        assertThat(((SluiceDataSource) dataSource).poolName()).isEqualTo("notes");
    }

    @Test
    void aCreatedNoteIsFoundById() {
        Note created = notes.create("written in a slice");
        assertThat(notes.find(created.id())).map(Note::text).contains("written in a slice");
    }
}
