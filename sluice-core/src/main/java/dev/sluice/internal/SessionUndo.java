package dev.sluice.internal;

/**
 * A change of session state a router made with SQL the pool cannot see (a tenant's schema
 * switch), and the statement that undoes it when the connection is returned. Given the catalog
 * and schema the pool read when the connection was opened, it answers the statement that puts
 * the session back, or null where none can (a MariaDB connection opened without a database).
 */
@FunctionalInterface
public interface SessionUndo {
    String sql(String catalogAtConnect, String schemaAtConnect);
}
