package dev.sluice.spring.boot.apps.jpa;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A JPA application as a Boot user writes it, for the sliced tests of its package. */
@SpringBootApplication
public class JpaApplication {
}
