package dev.sluice.example.notes;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code notes} table (see {@code schema.sql}), through Spring's JdbcClient on the pool. */
@Repository
public class NoteRepository {
    private final JdbcClient jdbc;

    public NoteRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Note create(String text) {
        return jdbc.sql("insert into notes (text) values (:text) returning id, text, created_at")
                .param("text", text)
                .query(Note.class)
                .single();
    }

    public Optional<Note> find(long id) {
        return jdbc.sql("select id, text, created_at from notes where id = :id")
                .param("id", id)
                .query(Note.class)
                .optional();
    }

    /** The newest notes first, at most {@code limit}. */
    public List<Note> latest(int limit) {
        return jdbc.sql("select id, text, created_at from notes order by id desc limit :limit")
                .param("limit", limit)
                .query(Note.class)
                .list();
    }
}
