package dev.sluice.cli;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tenants of {@code sluice demo --tenants N} in the embedded database: a schema per tenant,
 * named by its id ({@code t1}..{@code tN}, {@code t1} the busiest), each holding a table
 * {@code marker} with one row, the tenant's own id, so every borrow can check it reached the
 * tenant it asked for.
 */
final class TenantSchemas {
    static final String READ_MARKER = "SELECT tenant FROM marker";

    private TenantSchemas() {
    }

    /** Creates the schemas and returns the tenant ids, busiest first. */
    static List<String> create(Connection c, int tenants) throws SQLException {
        List<String> ids = new ArrayList<>(tenants);
        try (Statement s = c.createStatement()) {
            for (int i = 1; i <= tenants; i++) {
                String id = "t" + i;
                // Quoted: the pool switches with SET SCHEMA "<id>", which keeps the lower case.
                s.addBatch(String.format(Locale.ROOT, "CREATE SCHEMA \"%s\"", id));
                s.addBatch(String.format(Locale.ROOT, "CREATE TABLE \"%s\".marker(tenant VARCHAR(16))", id));
                s.addBatch(String.format(Locale.ROOT, "INSERT INTO \"%s\".marker VALUES ('%s')", id, id));
                ids.add(id);
            }
            s.executeBatch();
        }
        return ids;
    }
}
