package dev.sluice.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A test that runs once per database of the matrix ({@link TestDatabase#all()}): H2 over TCP,
 * PostgreSQL and MariaDB. The method takes the {@link TestDatabase} as its parameter; unreachable
 * databases are skipped, or failed when {@code CI=true} ({@link RequireDatabase}).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@MethodSource("dev.sluice.it.TestDatabase#all")
@ExtendWith(RequireDatabase.class)
public @interface DatabaseTest {
}
