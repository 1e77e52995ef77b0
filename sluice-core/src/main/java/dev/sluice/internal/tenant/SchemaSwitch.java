package dev.sluice.internal.tenant;

import dev.sluice.FailureReason;
import dev.sluice.SluiceFailure;
import dev.sluice.internal.SessionUndo;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Points a borrowed connection at a tenant's schema, on every borrow. The pool cannot see a
 * {@code SET search_path} or {@code USE} a borrower typed by hand, so it cannot know which schema
 * a returned connection points at; setting the schema on every borrow (one statement, no extra
 * round trip to read it first) is the only way a tenant can never be handed a connection
 * pointing at another tenant's schema. The statement quotes the id as an identifier, so its case
 * is kept; ids are checked against {@link dev.sluice.Tenant#ID_RULE} before they reach here.
 *
 * <p>The switch is undone when the connection is returned ({@link #undo}), so an idle connection
 * points at no tenant's schema.
 *
 * <p>The first borrow of a tenant also checks that its schema exists (PostgreSQL accepts a
 * search_path naming a schema that does not exist; MariaDB and H2 reject the switch itself).
 * Only tenants found are remembered, so a missing schema leaves nothing behind.
 */
enum SchemaSwitch {
    /** {@code SET search_path}: the tenant's schema only, so an unqualified name never falls back to another schema. */
    POSTGRESQL {
        @Override
        void switchTo(Connection c, String tenant) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("SET search_path TO \"" + tenant + "\"");
            }
        }

        @Override
        boolean exists(Connection c, String tenant) throws SQLException {
            // current_schema() is null when no schema of the search path exists.
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT current_schema()")) {
                return r.next() && tenant.equals(r.getString(1));
            }
        }
    },
    /** A MariaDB/MySQL "schema" is a database, a catalog of the server. */
    MARIADB {
        @Override
        void switchTo(Connection c, String tenant) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("USE `" + tenant + "`");
            }
        }
    },
    H2 {
        @Override
        void switchTo(Connection c, String tenant) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("SET SCHEMA \"" + tenant + "\"");
            }
        }
    },
    /** Any other driver: JDBC's own setSchema, trusted to quote. */
    OTHER {
        @Override
        void switchTo(Connection c, String tenant) throws SQLException {
            c.setSchema(tenant);
        }

        @Override
        boolean exists(Connection c, String tenant) throws SQLException {
            return tenant.equals(c.getSchema());
        }
    };

    static SchemaSwitch forUrl(String jdbcUrl) {
        String u = jdbcUrl == null ? "" : jdbcUrl.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        if (u.startsWith("jdbc:h2:")) {
            return H2;
        }
        return OTHER;
    }

    abstract void switchTo(Connection c, String tenant) throws SQLException;

    /**
     * What undoes the switch when the connection is returned, or null where the pool's own reset
     * does ({@code setSchema} through the pool's handle). {@code configuredSchema} is the
     * template's {@code schema}, which the pool set on every new connection.
     */
    SessionUndo undo(String configuredSchema) {
        return switch (this) {
            case POSTGRESQL -> {
                // RESET goes back to the session's value at connect, the URL's currentSchema included.
                String sql = configuredSchema == null ? "RESET search_path" : "SET search_path TO " + quoted(configuredSchema, '"');
                yield (catalog, schema) -> sql;
            }
            // A connection opened without a database cannot be taken back to none.
            case MARIADB -> new LastUndo(true, catalog -> "USE " + quoted(catalog, '`'));
            case H2 -> new LastUndo(false, schema -> "SET SCHEMA " + quoted(schema, '"'));
            case OTHER -> null;
        };
    }

    /**
     * An undo statement built from the catalog (or schema) a connection was opened with, kept for
     * the last one asked: a pool's connections nearly always share it, so a return builds none. Racing returns may each build and store one; any of them is right.
     */
    private static final class LastUndo implements SessionUndo {
        private record Built(String name, String sql) {
        }

        private final boolean byCatalog;
        private final UnaryOperator<String> sqlFor;
        private Built last;

        LastUndo(boolean byCatalog, UnaryOperator<String> sqlFor) {
            this.byCatalog = byCatalog;
            this.sqlFor = sqlFor;
        }

        @Override
        public String sql(String catalogAtConnect, String schemaAtConnect) {
            String name = byCatalog ? catalogAtConnect : schemaAtConnect;
            if (name == null) {
                return null;
            }
            Built b = last;
            if (b == null || !name.equals(b.name)) {
                b = new Built(name, sqlFor.apply(name));
                last = b;
            }
            return b.sql;
        }
    }

    private static String quoted(String name, char quote) {
        String q = String.valueOf(quote);
        return q + name.replace(q, q + q) + q;
    }

    /** Whether the schema the connection was just switched to exists; by default the switch itself failed if not. */
    boolean exists(Connection c, String tenant) throws SQLException {
        return true;
    }

    /**
     * Switches {@code c} to {@code tenant}'s schema, checking first that it exists when
     * {@code check}. A failure that leaves the connection usable means the schema is missing
     * (UNKNOWN_TENANT); a broken connection's failure is passed on as it is.
     */
    void apply(Connection c, String tenant, boolean check, String poolName) throws SQLException {
        try {
            switchTo(c, tenant);
            if (check && !exists(c, tenant)) {
                throw unknown(tenant, poolName, null);
            }
            if (this == POSTGRESQL && !c.getAutoCommit()) {
                // PostgreSQL's SET is transactional: the borrower's first rollback would undo it mid-borrow.
                // The connection comes fresh from the pool (no work of anyone's in it), so this commits only the SET.
                c.commit();
            }
        } catch (SQLException e) {
            if (SluiceFailure.reasonOf(e).isPresent() || e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                throw e;
            }
            throw unknown(tenant, poolName, e);
        }
    }

    private static SQLException unknown(String tenant, String poolName, SQLException cause) {
        return SluiceFailure.of(FailureReason.UNKNOWN_TENANT, poolName, poolName + ": tenant '" + tenant + "' has no schema"
                + " in the database" + (cause != null ? " (" + cause.getMessage() + ")" : ""), cause);
    }
}
