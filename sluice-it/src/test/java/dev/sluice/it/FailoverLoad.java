package dev.sluice.it;

import dev.sluice.CloseReason;
import dev.sluice.PoolListener;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * What FailoverTest watches: a write load from a few threads that checks, on every borrow, whether
 * the connection is on a read-only server; the pool's failover event and FAILOVER closes; and the
 * connects the pool makes, through a counting {@link DataSource}, to see how many run at once.
 */
final class FailoverLoad implements PoolListener, AutoCloseable {
    /** Nanos of the pool's failover event; 0 until it comes. */
    final AtomicLong failoverAt = new AtomicLong();
    volatile String trigger;
    final List<Long> failoverCloses = new CopyOnWriteArrayList<>();
    /** Borrows made after the failover event that reached a standby or read-only server. */
    final List<String> readOnlyBorrows = new CopyOnWriteArrayList<>();
    /** Nanos of the first successful write on {@link #newPrimary} that began after {@link #writesFrom}; 0 until then. */
    final AtomicLong firstWrite = new AtomicLong();
    /** Only writes begun after this instant count as {@link #firstWrite}. */
    volatile long writesFrom = Long.MAX_VALUE;
    /** What the check query's third column says on the new primary. */
    private final String newPrimary;
    final AtomicInteger writes = new AtomicInteger();
    final Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
    final AtomicInteger connects = new AtomicInteger();
    final AtomicInteger connectsNow = new AtomicInteger();
    final AtomicInteger connectsAtOnce = new AtomicInteger();
    private volatile boolean running = true;
    private final ExecutorService threads;
    private final List<Future<?>> writers = new CopyOnWriteArrayList<>();

    FailoverLoad(int writerThreads, String newPrimary) {
        this.newPrimary = newPrimary;
        this.threads = Executors.newFixedThreadPool(writerThreads);
    }

    @Override
    public void failover(String poolName, String trigger, long generation) {
        if (this.trigger == null) {
            this.trigger = trigger;
        }
        long now = System.nanoTime();
        failoverAt.accumulateAndGet(now, (was, n) -> was == 0 || n - was < 0 ? n : was);
    }

    @Override
    public void connectionClosed(String poolName, CloseReason reason) {
        if (reason == CloseReason.FAILOVER) {
            long now = System.nanoTime();
            failoverCloses.add(now);
            // A borrower returning a connection may see the new generation before the failover event is
            // out (the thread that started it may be descheduled in between): the signal is the earlier.
            failoverAt.accumulateAndGet(now, (was, n) -> was == 0 || n - was < 0 ? n : was);
        }
    }

    /** Starts {@code n} writers, each borrowing from {@code pool}, checking it and running {@code insertSql} until closed. */
    void start(DataSource pool, String insertSql, String checkSql, int n) {
        for (int i = 0; i < n; i++) {
            writers.add(threads.submit(() -> {
                while (running) {
                    write(pool, insertSql, checkSql);
                    Await.sleep(java.time.Duration.ofMillis(5));
                }
                return null;
            }));
        }
    }

    private void write(DataSource pool, String insertSql, String checkSql) {
        long began = System.nanoTime();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            long borrowedAt = System.nanoTime();
            long fo = failoverAt.get();
            String server;
            try (ResultSet rs = s.executeQuery(checkSql)) {
                rs.next();
                server = rs.getString(3);
                if ((rs.getBoolean(1) || rs.getBoolean(2)) && fo != 0 && borrowedAt - fo > 0) {
                    readOnlyBorrows.add("borrowed " + TimeUnit.NANOSECONDS.toMillis(borrowedAt - fo) + "ms after the failover event: "
                            + rs.getString(3));
                }
            }
            s.executeUpdate(insertSql);
            writes.incrementAndGet();
            if (began - writesFrom > 0 && newPrimary.equals(server)) {
                firstWrite.compareAndSet(0, System.nanoTime());
            }
        } catch (SQLException e) {
            errors.computeIfAbsent(String.valueOf(e.getSQLState()), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** Milliseconds from the failover event until the {@code n}th FAILOVER close; -1 if there were fewer. */
    long closedWithinMillis(int n) {
        List<Long> sorted = failoverCloses.stream().sorted().toList();
        return sorted.size() < n ? -1 : TimeUnit.NANOSECONDS.toMillis(sorted.get(n - 1) - failoverAt.get());
    }

    /** A DataSource that counts the connects made through it and the most under way at once. */
    DataSource counting(DataSource target) {
        return new DataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                connects.incrementAndGet();
                connectsAtOnce.accumulateAndGet(connectsNow.incrementAndGet(), Math::max);
                try {
                    return target.getConnection();
                } finally {
                    connectsNow.decrementAndGet();
                }
            }

            @Override
            public Connection getConnection(String user, String password) throws SQLException {
                return getConnection();
            }

            @Override
            public PrintWriter getLogWriter() throws SQLException {
                return target.getLogWriter();
            }

            @Override
            public void setLogWriter(PrintWriter out) throws SQLException {
                target.setLogWriter(out);
            }

            @Override
            public void setLoginTimeout(int seconds) throws SQLException {
                target.setLoginTimeout(seconds);
            }

            @Override
            public int getLoginTimeout() throws SQLException {
                return target.getLoginTimeout();
            }

            @Override
            public Logger getParentLogger() {
                return Logger.getGlobal();
            }

            @Override
            public <T> T unwrap(Class<T> iface) throws SQLException {
                return target.unwrap(iface);
            }

            @Override
            public boolean isWrapperFor(Class<?> iface) throws SQLException {
                return target.isWrapperFor(iface);
            }
        };
    }

    @Override
    public void close() throws Exception {
        running = false;
        for (Future<?> f : writers) {
            f.get(30, TimeUnit.SECONDS);
        }
        threads.shutdownNow();
    }
}
