package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The proxy in front of a real PostgreSQL (127.0.0.1:5432, user postgres, database test) through
 * pgjdbc: each mode, and service restored after it. Skipped when PostgreSQL is not reachable,
 * except with {@code CI=true}, where that is a failure.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FaultProxyPostgresTest {
    private static final String HOST = "127.0.0.1";
    private static final int PORT = 5432;

    @RegisterExtension
    static final FaultProxyExtension PG = FaultProxyExtension.forTarget(HOST, PORT);

    @BeforeAll
    static void requirePostgres() {
        boolean up;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 1000);
            up = true;
        } catch (java.io.IOException e) {
            up = false;
        }
        if (!up && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("PostgreSQL is not reachable at " + HOST + ":" + PORT + " and CI=true");
        }
        Assumptions.assumeTrue(up, "PostgreSQL is not reachable at " + HOST + ":" + PORT + ": skipped");
    }

    private static Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("connectTimeout", "2");
        p.setProperty("loginTimeout", "2");
        p.setProperty("socketTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://" + PG.proxy().hostAndPort() + "/test", p);
    }

    private static int selectOne(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void passThroughAndLatency() throws Exception {
        try (Connection c = connect()) {
            assertThat(selectOne(c)).isEqualTo(1);
            PG.proxy().latency(Duration.ofMillis(100));
            long start = System.nanoTime();
            assertThat(selectOne(c)).isEqualTo(1);
            assertThat(FaultProxyTest.millisSince(start)).isBetween(190L, 3000L); // 100 ms each way
            PG.proxy().passThrough();
            start = System.nanoTime();
            assertThat(selectOne(c)).isEqualTo(1);
            assertThat(FaultProxyTest.millisSince(start)).isLessThan(190L);
        }
        assertThat(PG.proxy().bytesToServer()).isPositive();
        assertThat(PG.proxy().bytesToClient()).isPositive();
    }

    @Test
    void refuseFailsConnectsAtOnceAndTheDatabaseComesBack() throws Exception {
        PG.proxy().refuse();
        long start = System.nanoTime();
        assertThatThrownBy(FaultProxyPostgresTest::connect).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
        assertThat(FaultProxyTest.millisSince(start)).isLessThan(1500L);
        PG.proxy().passThrough();
        try (Connection c = connect()) {
            assertThat(selectOne(c)).isEqualTo(1);
        }
    }

    @Test
    void blackholeIsOnlyEndedByTimeouts() throws Exception {
        try (Connection c = connect()) {
            assertThat(selectOne(c)).isEqualTo(1);
            PG.proxy().blackhole();
            ExecutorService ex = Executors.newSingleThreadExecutor();
            try {
                c.setNetworkTimeout(ex, 500);
                long start = System.nanoTime();
                assertThatThrownBy(() -> selectOne(c)).isInstanceOf(SQLException.class);
                assertThat(FaultProxyTest.millisSince(start)).isBetween(400L, 3000L);
            } finally {
                ex.shutdownNow();
            }
            // a new connect: TCP accepted, the startup message never answered; loginTimeout ends it
            long start = System.nanoTime();
            assertThatThrownBy(FaultProxyPostgresTest::connect).isInstanceOf(SQLException.class);
            assertThat(FaultProxyTest.millisSince(start)).isBetween(1500L, 5000L);
        }
        PG.proxy().passThrough();
        try (Connection c = connect()) {
            assertThat(selectOne(c)).isEqualTo(1);
        }
    }

    @Test
    void resetAllBreaksOpenConnectionsOnly() throws Exception {
        try (Connection c = connect()) {
            assertThat(selectOne(c)).isEqualTo(1);
            assertThat(PG.proxy().resetAll()).isEqualTo(1);
            assertThatThrownBy(() -> selectOne(c)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("08"));
        }
        try (Connection c = connect()) {
            assertThat(selectOne(c)).isEqualTo(1);
        }
    }

    @Test
    void bandwidthSlowsALargeResult() throws Exception {
        try (Connection c = connect()) {
            PG.proxy().bandwidth(FaultProxy.Direction.TO_CLIENT, 50_000);
            long start = System.nanoTime();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select repeat('x', 50000)")) {
                rs.next();
                assertThat(rs.getString(1)).hasSize(50_000);
            }
            assertThat(FaultProxyTest.millisSince(start)).isBetween(700L, 5000L); // ~50 kB at 50 kB/s
        }
    }
}
