package dev.sluice;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The session state that cannot survive PgBouncer's transaction pooling, refused at build. Behind
 * it, each transaction may run on a different server connection: a {@code SET} applied once when
 * the pool opens a connection stays on one server connection, which other clients then inherit,
 * while this pool's later transactions run on server connections that never saw it. Failing at
 * build is the only honest answer; the alternatives are named in each message.
 *
 * <p>A fetch size with auto-commit off is not refused: pgjdbc then reads through a portal, which
 * lives inside the transaction, and PgBouncer keeps a transaction on one server connection.
 * PgBouncerTest runs it under load, with statements both fresh and reused across transactions.
 */
final class TransactionPoolingRules {
    private static final String BECAUSE = " with pgbouncer=TRANSACTION: it would be set on one server connection only,"
            + " which PgBouncer then hands to other clients, while this pool's next transactions run on others";

    private TransactionPoolingRules() {
    }

    static List<InvalidConfigException.Violation> check(KnobValues set) {
        List<InvalidConfigException.Violation> found = new ArrayList<>();
        if (set.connectionInitSql != null && startsWithSet(set.connectionInitSql)) {
            found.add(new InvalidConfigException.Violation("connectionInitSql", set.connectionInitSql,
                    "connectionInitSql=" + set.connectionInitSql + " cannot start with SET" + BECAUSE
                            + "; set it per role or database (ALTER ROLE ... SET) or per transaction (SET LOCAL)"));
        }
        if (set.transactionIsolation != null) {
            found.add(new InvalidConfigException.Violation("transactionIsolation", String.valueOf(set.transactionIsolation),
                    "transactionIsolation=" + set.transactionIsolation + " cannot be set" + BECAUSE
                            + " (pgjdbc sets it with SET SESSION CHARACTERISTICS); set default_transaction_isolation"
                            + " per role or database, or start transactions with SET TRANSACTION ISOLATION LEVEL"));
        }
        if (set.schema != null) {
            found.add(new InvalidConfigException.Violation("schema", set.schema, "schema=" + set.schema
                    + " cannot be set" + BECAUSE + " (the search_path is session state); set search_path per role or"
                    + " database (ALTER ROLE ... SET search_path), or qualify table names"));
        }
        if (set.catalog != null) {
            found.add(new InvalidConfigException.Violation("catalog", set.catalog, "catalog=" + set.catalog
                    + " cannot be set with pgbouncer=TRANSACTION: PgBouncer picks the server database from the"
                    + " database named in jdbcUrl; name it there"));
        }
        return found;
    }

    private static boolean startsWithSet(String sql) {
        String t = sql.stripLeading().toUpperCase(Locale.ROOT);
        return t.startsWith("SET") && (t.length() == 3 || !Character.isLetterOrDigit(t.charAt(3)) && t.charAt(3) != '_');
    }
}
