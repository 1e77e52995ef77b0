package dev.sluice.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The in-process, in-memory H2 database the demo runs against when no {@code --url} is given.
 *
 * <p>An H2 in-memory database vanishes when its last connection closes, and the pool is free to
 * close all of its connections (idle timeout, lifetime, a broken connection). So this class holds
 * one connection of its own, outside the pool, for exactly as long as the demo runs: the data
 * survives the pool's churn, and closing this object frees the memory, so a second demo in the
 * same JVM (as in tests) starts from an empty database.
 */
final class EmbeddedDatabase implements AutoCloseable {
    /** No credentials: the database exists only inside this process, and only the demo can reach it. */
    private static final String URL = "jdbc:h2:mem:sluice-demo";

    private final Connection keeper;

    private EmbeddedDatabase(Connection keeper) {
        this.keeper = keeper;
    }

    static EmbeddedDatabase start() throws SQLException {
        return new EmbeddedDatabase(DriverManager.getConnection(URL));
    }

    /** Where the pool connects; known before the database starts, so a start failure can be reported against it. */
    static ConnectionTarget target() {
        return ConnectionTarget.embedded(URL, null, null, "H2");
    }

    @Override
    public void close() {
        try {
            keeper.close();
        } catch (SQLException ignored) {
            // Closing an in-memory database cannot lose anything the demo needs.
        }
    }
}
