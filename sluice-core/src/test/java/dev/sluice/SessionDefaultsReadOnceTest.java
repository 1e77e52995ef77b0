package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A new connection's default isolation, catalog and schema cost pgjdbc a round trip each to read,
 * so the pool asks the first connection and reuses the answers for the connections that follow
 * with the same login, and asks again after the credentials change. The defaults it restores on
 * return are still each connection's real ones.
 */
class SessionDefaultsReadOnceTest {
    private static final String URL = AskingDriver.PREFIX + "jdbc:h2:mem:read_once;DB_CLOSE_DELAY=-1";

    @BeforeAll
    static void register() throws SQLException {
        AskingDriver.register();
        try (Connection c = DriverManager.getConnection(URL.substring(AskingDriver.PREFIX.length()), "sa", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS OTHER");
            s.execute("CREATE USER IF NOT EXISTS OTHER_APP PASSWORD 'second-secret' ADMIN");
        }
    }

    @BeforeEach
    void reset() {
        AskingDriver.ISOLATION_READS.set(0);
        AskingDriver.SCHEMA_READS.set(0);
        AskingDriver.CONNECTS.set(0);
    }

    private static SluiceDataSource pool() throws SQLException {
        // One connect at a time: two first connects of a new login running together would both ask.
        return new SluiceDataSource(SluiceConfig.builder().poolName("read-once").jdbcUrl(URL).username("sa").password("")
                .maximumPoolSize(4).minimumIdle(4).maxConcurrentCreates(1).build());
    }

    @Test
    void theFirstConnectionIsAskedAndTheOthersReuseItsAnswers() throws Exception {
        try (SluiceDataSource ds = pool()) {
            List<Connection> all = borrowAll(ds, 4);
            assertThat(AskingDriver.CONNECTS.get()).isEqualTo(4);
            assertThat(AskingDriver.ISOLATION_READS.get()).as("getTransactionIsolation at connect").isEqualTo(1);
            assertThat(AskingDriver.SCHEMA_READS.get()).as("getSchema at connect").isEqualTo(1);
            // Every borrower changes both; every connection comes back to the driver's defaults.
            for (Connection c : all) {
                c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
                c.setSchema("OTHER");
                c.close();
            }
            for (Connection c : borrowAll(ds, 4)) {
                assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
                assertThat(c.getSchema()).isEqualTo("PUBLIC");
                c.close();
            }
        }
    }

    @Test
    void newCredentialsAreAskedAgain() throws Exception {
        try (SluiceDataSource ds = pool()) {
            closeAll(borrowAll(ds, 4));
            int before = AskingDriver.ISOLATION_READS.get();
            ds.setCredentials("OTHER_APP", "second-secret");
            ds.evictAll();
            closeAll(borrowAll(ds, 4));
            assertThat(AskingDriver.CONNECTS.get()).isGreaterThan(4);
            assertThat(AskingDriver.ISOLATION_READS.get()).as("asked once more, of the first connection as OTHER_APP")
                    .isEqualTo(before + 1);
        }
    }

    @Test
    void aCredentialsProviderIsAskedAtEveryConnectSoEveryConnectionIsAsked() throws Exception {
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().poolName("read-each").jdbcUrl(URL)
                .credentialsProvider(() -> new CredentialsProvider.Credentials("sa", "")).maximumPoolSize(3).minimumIdle(3).build())) {
            closeAll(borrowAll(ds, 3));
            assertThat(AskingDriver.ISOLATION_READS.get()).isEqualTo(AskingDriver.CONNECTS.get());
        }
    }

    private static List<Connection> borrowAll(SluiceDataSource ds, int n) throws SQLException {
        List<Connection> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(ds.getConnection(Duration.ofSeconds(10)));
        }
        return all;
    }

    private static void closeAll(List<Connection> all) throws SQLException {
        for (Connection c : all) {
            c.close();
        }
    }

    /** {@code jdbc:asking:<url>} opens {@code <url>} and counts connects and what the pool asks of a new connection. */
    static final class AskingDriver extends WrappingDriver {
        static final String PREFIX = "jdbc:asking:";
        static final AtomicInteger CONNECTS = new AtomicInteger();
        static final AtomicInteger ISOLATION_READS = new AtomicInteger();
        static final AtomicInteger SCHEMA_READS = new AtomicInteger();
        private static boolean registered;

        private AskingDriver() {
            super(PREFIX);
        }

        static synchronized void register() throws SQLException {
            if (!registered) {
                DriverManager.registerDriver(new AskingDriver());
                registered = true;
            }
        }

        @Override
        Connection wrap(Connection real) {
            CONNECTS.incrementAndGet();
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, (p, m, args) -> {
                if (m.getName().equals("getTransactionIsolation")) {
                    ISOLATION_READS.incrementAndGet();
                } else if (m.getName().equals("getSchema")) {
                    SCHEMA_READS.incrementAndGet();
                }
                try {
                    return m.invoke(real, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
        }
    }
}
