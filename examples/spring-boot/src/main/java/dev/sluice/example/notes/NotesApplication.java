package dev.sluice.example.notes;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A notes service over PostgreSQL. Nothing here mentions the pool: the Sluice starter on the class
 * path makes the {@code DataSource} a Sluice pool, configured in {@code application.properties}.
 */
@SpringBootApplication
public class NotesApplication {

    public static void main(String[] args) {
        SpringApplication.run(NotesApplication.class, args);
    }
}
