package dev.sluice.cli;

import dev.sluice.cli.WorkloadCounters.Kind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * One request of a small shop, the plain demo's traffic.
 *
 * <ul>
 *   <li>Most requests are short reads: one account by primary key. They hold a connection for
 *       well under a millisecond.</li>
 *   <li>Some are transfers: two balance updates (in id order, so two transfers never deadlock),
 *       a pause while still holding the connection, as an application calling another service
 *       mid-transaction would, then an order insert and a commit. These are what keep
 *       connections busy.</li>
 * </ul>
 */
final class ShopRequest implements DemoWorkload.Request {
    /** Percentage of requests that are transfers. */
    private static final int TRANSFER_PERCENT = 10;
    private static final long IN_TRANSACTION_MIN_MICROS = 5_000;
    private static final long IN_TRANSACTION_MAX_MICROS = 15_000;

    private final DataSource dataSource;
    private final DemoSchema schema;
    private final WorkloadCounters counters;

    ShopRequest(DataSource dataSource, DemoSchema schema, WorkloadCounters counters) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.counters = counters;
    }

    @Override
    public void serve(ThreadLocalRandom random) throws SQLException {
        if (random.nextInt(100) < TRANSFER_PERCENT) {
            transfer(random);
            counters.completed(Kind.TRANSFER);
        } else {
            read(random);
            counters.completed(Kind.READ);
        }
    }

    private void read(ThreadLocalRandom random) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(DemoSchema.READ_ACCOUNT)) {
            ps.setLong(1, randomAccount(random));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getLong(3);
                }
            }
        }
    }

    private void transfer(ThreadLocalRandom random) throws SQLException {
        long from = randomAccount(random);
        long to = randomAccount(random);
        if (from == to) {
            to = from == schema.accountCount() ? 1 : from + 1;
        }
        long amount = 1 + random.nextLong(10_000);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement adjust = c.prepareStatement(DemoSchema.ADJUST_BALANCE)) {
                    long first = Math.min(from, to);
                    long second = Math.max(from, to);
                    adjust(adjust, first, first == from ? -amount : amount);
                    adjust(adjust, second, second == from ? -amount : amount);
                }
                DemoWorkload.pauseMicros(random.nextLong(IN_TRANSACTION_MIN_MICROS, IN_TRANSACTION_MAX_MICROS + 1));
                try (PreparedStatement order = c.prepareStatement(DemoSchema.INSERT_ORDER)) {
                    order.setLong(1, schema.nextOrderId());
                    order.setLong(2, from);
                    order.setLong(3, amount);
                    order.setLong(4, System.currentTimeMillis());
                    order.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException alsoFailed) {
                    e.addSuppressed(alsoFailed); // the first failure is the one worth counting
                }
                throw e;
            }
        }
    }

    private static void adjust(PreparedStatement ps, long account, long deltaCents) throws SQLException {
        ps.setLong(1, deltaCents);
        ps.setLong(2, account);
        ps.executeUpdate();
    }

    private long randomAccount(ThreadLocalRandom random) {
        return 1 + random.nextLong(schema.accountCount());
    }
}
