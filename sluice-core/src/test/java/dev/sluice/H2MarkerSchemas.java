package dev.sluice;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An in-memory H2 database with a schema per tenant, each holding the marker table of
 * {@link TenantSchemaModeTest#createMarkerSchema}: the keeper connection holds the database open
 * until {@link #drop} empties it.
 */
final class H2MarkerSchemas {
    private H2MarkerSchemas() {
    }

    static Connection create(String url, String... tenants) throws SQLException {
        Connection keeper = DriverManager.getConnection(url);
        try (Statement s = keeper.createStatement()) {
            for (String t : tenants) {
                TenantSchemaModeTest.createMarkerSchema(s, t);
            }
        }
        return keeper;
    }

    static void drop(Connection keeper) throws SQLException {
        try (Statement s = keeper.createStatement()) {
            s.execute("DROP ALL OBJECTS");
        }
        keeper.close();
    }
}
