package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.CloseReason;
import dev.sluice.PgBouncerMode;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;

/**
 * The pool behind a real PgBouncer 1.18 in transaction mode (127.0.0.1:6432, started by
 * {@code setup-pgbouncer.sh}), which has no prepared-statement tracking: every transaction may run
 * on a different server connection. The same concurrent load of repeated prepared statements runs
 * with {@code pgbouncer=TRANSACTION}, where it must be error-free, and with {@code pgbouncer=OFF},
 * where pgjdbc's server-side prepared statements break, which is the failure the knob prevents.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PgBouncerTest {
    private static final String URL = "jdbc:postgresql://127.0.0.1:6432/test";
    /** More clients than PgBouncer's default_pool_size (10): transactions must share server connections. */
    private static final int CLIENTS = 16;
    /** Per borrow: pgjdbc prepares on the server from the fifth execution on (prepareThreshold=5). */
    private static final int EXECUTIONS_PER_BORROW = 8;

    @BeforeAll
    static void requirePgBouncer() {
        TestDatabase.requireService("PgBouncer at 127.0.0.1:6432", probe(), "sluice-it/setup-pgbouncer.sh");
    }

    private static String probe() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 6432), 1000);
        } catch (IOException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("connectTimeout", "2");
        p.setProperty("socketTimeout", "5");
        try (Connection c = DriverManager.getConnection(URL, p); Statement s = c.createStatement()) {
            s.execute("select 1");
            return null;
        } catch (SQLException e) {
            return "login failed: " + e.getMessage();
        }
    }

    private static SluiceConfig.Builder config(String name, PgBouncerMode mode) {
        return SluiceConfig.builder()
                .poolName("it-pgbouncer-" + name)
                .jdbcUrl(URL)
                .username("postgres")
                .maximumPoolSize(CLIENTS)
                .minimumIdle(CLIENTS)
                .connectionTimeout(Duration.ofSeconds(10))
                .pgbouncer(mode);
    }

    /** What one run of the load saw: executions that succeeded, and failures by SQLState. */
    private record LoadResult(long succeeded, Map<String, List<String>> failures) {
        long failed() {
            return failures.values().stream().mapToLong(List::size).sum();
        }
    }

    /**
     * {@link #CLIENTS} threads, each borrowing {@code borrows} times and running the same prepared
     * statement {@link #EXECUTIONS_PER_BORROW} times per borrow, autocommit on: each execution is
     * its own transaction, so PgBouncer may give each one a different server connection.
     */
    private static LoadResult runLoad(SluiceDataSource ds, int borrows) throws Exception {
        AtomicLong succeeded = new AtomicLong();
        Map<String, List<String>> failures = new ConcurrentHashMap<>();
        onEveryClient(() -> {
            for (int b = 0; b < borrows; b++) {
                try (Connection c = ds.getConnection();
                        PreparedStatement ps = c.prepareStatement("select ?::int + 1, pg_backend_pid()")) {
                    for (int i = 0; i < EXECUTIONS_PER_BORROW; i++) {
                        ps.setInt(1, i);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            assertThat(rs.getInt(1)).isEqualTo(i + 1);
                            succeeded.incrementAndGet();
                        } catch (SQLException e) {
                            record(failures, String.valueOf(e.getSQLState()), e);
                        }
                    }
                } catch (SQLException e) {
                    record(failures, "borrow/prepare " + e.getSQLState(), e);
                }
            }
        });
        return new LoadResult(succeeded.get(), failures);
    }

    private interface ClientWork {
        void run() throws Exception;
    }

    /** Runs {@code work} on {@link #CLIENTS} threads at once and waits for all of them, a minute at most each. */
    private static void onEveryClient(ClientWork work) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new CopyOnWriteArrayList<>();
            for (int t = 0; t < CLIENTS; t++) {
                done.add(threads.submit(() -> {
                    work.run();
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static void record(Map<String, List<String>> failures, String key, SQLException e) {
        failures.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(e.getMessage());
    }

    @Test
    void transactionModeRunsRepeatedPreparedStatementsThroughPgBouncerWithoutErrors() throws Exception {
        try (SluiceDataSource ds = new SluiceDataSource(config("transaction", PgBouncerMode.TRANSACTION).build())) {
            try (Connection c = ds.getConnection()) {
                assertThat(c.unwrap(PGConnection.class).getPrepareThreshold())
                        .as("prepareThreshold the pool gave pgjdbc").isZero();
            }
            LoadResult result = runLoad(ds, 40);
            assertThat(result.failures()).as("failures by SQLState").isEmpty();
            assertThat(result.succeeded()).isEqualTo((long) CLIENTS * 40 * EXECUTIONS_PER_BORROW);
            assertThat(ds.stats().closed(CloseReason.BROKEN)).isZero();
        }
    }

    @Test
    void withPgBouncerOffTheSameLoadLosesPreparedStatements() throws Exception {
        try (SluiceDataSource ds = new SluiceDataSource(config("off", PgBouncerMode.OFF).build())) {
            try (Connection c = ds.getConnection()) {
                assertThat(c.unwrap(PGConnection.class).getPrepareThreshold()).as("pgjdbc's default").isEqualTo(5);
            }
            LoadResult result = runLoad(ds, 40);
            System.err.println("[sluice-it] PgBouncer with pgbouncer=OFF: " + result.succeeded() + " executions succeeded, "
                    + result.failed() + " failed, by SQLState: " + summary(result.failures()));
            assertThat(result.failures().keySet()).as("SQLStates of the failures")
                    .containsAnyOf("26000", "42P05");
            assertThat(result.failures().values().stream().flatMap(List::stream))
                    .anyMatch(m -> m.matches("(?s).*prepared statement \"S_\\d+\" (does not exist|already exists).*"));
        }
    }

    @Test
    void aFetchSizeWithAutoCommitOffReadsThroughPortalsWithoutErrors() throws Exception {
        int borrows = 20;
        int transactions = 3;
        AtomicLong rows = new AtomicLong();
        Map<String, List<String>> failures = new ConcurrentHashMap<>();
        try (SluiceDataSource ds = new SluiceDataSource(config("fetch", PgBouncerMode.TRANSACTION).autoCommit(false)
                .dataSourceProperty("defaultRowFetchSize", "10").build())) {
            onEveryClient(() -> {
                for (int b = 0; b < borrows; b++) {
                    try (Connection c = ds.getConnection();
                            PreparedStatement ps = c.prepareStatement("select g from generate_series(1, ?) g")) {
                        // One statement over several transactions: its portal must not outlive each of them.
                        for (int i = 0; i < transactions; i++) {
                            ps.setInt(1, 25);
                            try (ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    rows.incrementAndGet();
                                }
                            }
                            c.commit();
                        }
                    } catch (SQLException e) {
                        record(failures, String.valueOf(e.getSQLState()), e);
                    }
                }
            });
        }
        assertThat(failures).as("failures by SQLState").isEmpty();
        assertThat(rows.get()).isEqualTo((long) CLIENTS * borrows * transactions * 25);
    }

    @Test
    void aPreparedStatementErrorFromTheServerRetiresTheConnection() throws Exception {
        try (SluiceDataSource ds = new SluiceDataSource(config("evict", PgBouncerMode.TRANSACTION)
                .maximumPoolSize(1).minimumIdle(1).build())) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                // What a connection whose statement cache is out of step with the server connection sees.
                assertThatThrownBy(() -> s.execute("execute sluice_it_no_such_statement"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("26000"));
            }
            assertThat(ds.stats().closed(CloseReason.BROKEN)).isEqualTo(1);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
                assertThat(rs.next()).isTrue();
            }
        }
    }

    @Test
    void aSetInConnectionInitSqlIsRefusedBeforeAnyConnectionIsOpened() {
        Properties p = new Properties();
        p.setProperty("jdbcUrl", URL);
        p.setProperty("username", "postgres");
        p.setProperty("pgbouncer", "transaction");
        p.setProperty("connectionInitSql", "SET search_path TO sluice_it_pgbouncer");
        assertThatThrownBy(() -> new SluiceDataSource(SluiceConfig.fromProperties(p)))
                .hasMessageContaining("connectionInitSql=SET search_path TO sluice_it_pgbouncer cannot start with SET with"
                        + " pgbouncer=TRANSACTION");
    }

    private static String summary(Map<String, List<String>> failures) {
        StringBuilder b = new StringBuilder();
        failures.forEach((state, messages) -> b.append(state).append('=').append(messages.size())
                .append(" (").append(messages.get(0)).append(") "));
        return b.toString().trim();
    }
}
