package dev.sluice.cli;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The demo's two tables, accounts and orders, and the statements the workload runs on them.
 *
 * <p>The demo may run against a user's own database, so everything here is careful: every name
 * carries the {@code sluice_demo_} prefix, tables are created only if missing and never dropped,
 * and the SQL sticks to what H2, PostgreSQL and MariaDB all accept (no identity columns, whose
 * syntax differs; no TIMESTAMP, whose defaults differ on MariaDB). Order ids are assigned by the
 * demo from the largest existing one, for the same reason.
 */
final class DemoSchema {
    static final String ACCOUNTS = "sluice_demo_accounts";
    static final String ORDERS = "sluice_demo_orders";

    static final String READ_ACCOUNT =
            "SELECT id, holder_name, balance_cents FROM " + ACCOUNTS + " WHERE id = ?";
    static final String ADJUST_BALANCE =
            "UPDATE " + ACCOUNTS + " SET balance_cents = balance_cents + ? WHERE id = ?";
    static final String INSERT_ORDER =
            "INSERT INTO " + ORDERS + " (id, account_id, amount_cents, placed_at_ms) VALUES (?, ?, ?, ?)";

    private static final String CREATE_ACCOUNTS = "CREATE TABLE IF NOT EXISTS " + ACCOUNTS + " ("
            + "id BIGINT NOT NULL PRIMARY KEY, "
            + "holder_name VARCHAR(64) NOT NULL, "
            + "balance_cents BIGINT NOT NULL)";
    private static final String CREATE_ORDERS = "CREATE TABLE IF NOT EXISTS " + ORDERS + " ("
            + "id BIGINT NOT NULL PRIMARY KEY, "
            + "account_id BIGINT NOT NULL, "
            + "amount_cents BIGINT NOT NULL, "
            + "placed_at_ms BIGINT NOT NULL)";
    private static final String INSERT_ACCOUNT =
            "INSERT INTO " + ACCOUNTS + " (id, holder_name, balance_cents) VALUES (?, ?, ?)";

    private static final int SEED_ACCOUNTS = 10_000;
    private static final int SEED_ORDERS = 5_000;
    private static final int BATCH = 500;

    private final long accountCount;
    private final AtomicLong lastOrderId;

    private DemoSchema(long accountCount, long lastOrderId) {
        this.accountCount = accountCount;
        this.lastOrderId = new AtomicLong(lastOrderId);
    }

    /**
     * Creates the tables if missing and seeds them if empty. Runs through the pool, so the pool's
     * first connection is made here and its stats include the set-up.
     */
    static DemoSchema prepare(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute(CREATE_ACCOUNTS);
                s.execute(CREATE_ORDERS);
            }
            long accounts = maxId(c, ACCOUNTS);
            if (accounts == 0) {
                accounts = seed(c);
            }
            return new DemoSchema(accounts, maxId(c, ORDERS));
        }
    }

    /** Account ids are 1..accountCount; a gap (a row someone deleted) only makes a read find nothing. */
    long accountCount() {
        return accountCount;
    }

    long nextOrderId() {
        return lastOrderId.incrementAndGet();
    }

    private static long maxId(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(id) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long seed(Connection c) throws SQLException {
        SplittableRandom random = new SplittableRandom(42);
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps = c.prepareStatement(INSERT_ACCOUNT)) {
                for (int id = 1; id <= SEED_ACCOUNTS; id++) {
                    ps.setLong(1, id);
                    ps.setString(2, "holder-" + id);
                    ps.setLong(3, 10_000 + random.nextInt(1_000_000));
                    ps.addBatch();
                    if (id % BATCH == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            long now = System.currentTimeMillis();
            try (PreparedStatement ps = c.prepareStatement(INSERT_ORDER)) {
                for (int id = 1; id <= SEED_ORDERS; id++) {
                    ps.setLong(1, id);
                    ps.setLong(2, 1 + random.nextInt(SEED_ACCOUNTS));
                    ps.setLong(3, 100 + random.nextInt(50_000));
                    ps.setLong(4, now - random.nextInt(86_400_000));
                    ps.addBatch();
                    if (id % BATCH == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException alsoFailed) {
                e.addSuppressed(alsoFailed); // the seed failure is the one worth reporting
            }
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
        return SEED_ACCOUNTS;
    }
}
