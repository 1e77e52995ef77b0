package dev.sluice.spring.boot.apps.plain;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A JDBC application with nothing of its own: the pool and Boot's JDBC support come from the starter. */
@SpringBootApplication
public class PlainJdbcApplication {
}
