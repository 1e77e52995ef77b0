package dev.sluice.testkit;

import static dev.sluice.testkit.FaultProxyTest.millisSince;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 15, unit = TimeUnit.SECONDS)
class ChaosDriverTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    /** A control name and an H2 database of this test's own. */
    private String name;
    private String h2;
    private Chaos chaos;
    private ExecutorService pool;

    @BeforeEach
    void setUp(TestInfo info) {
        int n = DATABASES.incrementAndGet();
        name = "t" + n + "-" + info.getTestMethod().orElseThrow().getName();
        h2 = "jdbc:h2:mem:chaos" + n + ";DB_CLOSE_DELAY=-1";
        chaos = ChaosDriver.control(name);
        pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "chaos-test-helper");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterEach
    void tearDown() {
        chaos.reset();
        pool.shutdownNow();
    }

    private String url(String... params) {
        String[] all = new String[params.length + 1];
        all[0] = "name=" + name;
        System.arraycopy(params, 0, all, 1, params.length);
        return ChaosDriver.url(h2, all);
    }

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    private static int selectOne(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    // ------------------------------------------------------------------------------------------
    // URL, registration, wrapping

    @Test
    void registeredWithDriverManagerAndTheServiceLoader() throws SQLException {
        assertThat(DriverManager.getDriver("jdbc:chaos:jdbc:h2:mem:x")).isInstanceOf(ChaosDriver.class);
        boolean listed = false;
        for (Driver d : ServiceLoader.load(Driver.class)) {
            listed |= d instanceof ChaosDriver;
        }
        assertThat(listed).isTrue();
        ChaosDriver d = new ChaosDriver();
        assertThat(d.acceptsURL("jdbc:chaos:jdbc:h2:mem:x")).isTrue();
        assertThat(d.acceptsURL("jdbc:h2:mem:x")).isFalse();
        assertThat(d.connect("jdbc:h2:mem:x", new Properties())).isNull();
        assertThat(d.jdbcCompliant()).isFalse();
        assertThat(d.getPropertyInfo("jdbc:chaos:" + h2, new Properties())).isNotNull(); // H2's own answer
    }

    @Test
    void withoutParametersItIsTheRealDatabaseAndTheParametersAreStripped() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:chaos:" + h2, "sa", "")) {
            assertThat(selectOne(c)).isEqualTo(1);
            assertThat(c.getMetaData().getURL()).isEqualTo(h2.substring(0, h2.indexOf(';'))); // H2 drops the settings
        }
        try (Connection c = DriverManager.getConnection(url("connectDelay=0", "failExecute=0"), "sa", "")) {
            assertThat(c.getMetaData().getURL()).isEqualTo(h2.substring(0, h2.indexOf(';')));
            assertThat(c.isWrapperFor(JdbcConnection.class)).isTrue();
            assertThat(c.unwrap(JdbcConnection.class)).isInstanceOf(JdbcConnection.class);
            assertThat(c.unwrap(Connection.class)).isSameAs(c);
            assertThat(c.toString()).startsWith("Chaos(");
            assertThat(c).isEqualTo(c).isNotEqualTo(c.unwrap(JdbcConnection.class));

            try (PreparedStatement ps = c.prepareStatement("select ?")) {
                ps.setInt(1, 7);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(7);
                }
                assertThat(ps.getConnection()).isSameAs(c);
            }
            try (CallableStatement cs = c.prepareCall("call 1")) {
                assertThat(cs.execute()).isTrue();
            }
            assertThat(chaos.connectsOpened()).isEqualTo(1);
            assertThat(chaos.executes()).isEqualTo(2);
        }
    }

    @Test
    void badUrlsFailWithAMessageNamingTheProblem() {
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:chaos:connectDelay=1s"))
                .isInstanceOf(SQLException.class).hasMessageContaining("expected jdbc:chaos:");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:chaos:nonsense=1:" + h2))
                .isInstanceOf(SQLException.class).hasMessageContaining("unknown ChaosDriver parameter 'nonsense'");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:chaos:connectDelay=soon:" + h2))
                .hasMessageContaining("connectDelay=soon is not a duration");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:chaos:failExecute=08001:" + h2))
                .hasMessageContaining("must be a probability");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:chaos:failConnectState=x:" + h2))
                .hasMessageContaining("must be a SQLState");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:chaos:isValid=maybe:" + h2))
                .hasMessageContaining("must be ok, false or hang");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:chaos:jdbc:chaos:" + h2))
                .hasMessageContaining("cannot be nested");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:chaos:jdbc:nosuchdb:x?password=secret"))
                .hasMessageContaining("no suitable driver").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> ChaosDriver.control("a;b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> chaos.failConnect("08001", 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> chaos.connectDelay(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChaosDriver.url("h2:mem:x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void durationsInEveryDocumentedForm() {
        assertThat(Faults.duration("d", "250")).isEqualTo(Duration.ofMillis(250));
        assertThat(Faults.duration("d", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Faults.duration("d", "2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Faults.duration("d", "1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Faults.duration("d", "PT0.5S")).isEqualTo(Duration.ofMillis(500));
        assertThat(Faults.duration("d", "pt0.5s")).isEqualTo(Duration.ofMillis(500));
    }

    // ------------------------------------------------------------------------------------------
    // Connect faults and the login timeout

    @Test
    void slowConnect() throws SQLException {
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url("connectDelay=300ms"), "sa", "")) {
            assertThat(millisSince(start)).isBetween(290L, 3000L);
            assertThat(selectOne(c)).isEqualTo(1);
        }
    }

    @Test
    void slowConnectIsCutAtTheLoginTimeoutProperty() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> new ChaosDriver().connect(url("connectDelay=10s"), props("user", "sa", "loginTimeout", "1")))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> {
                    assertThat(((SQLException) e).getSQLState()).isEqualTo("08001");
                    assertThat(e.getCause()).isInstanceOf(SocketTimeoutException.class);
                    assertThat(e.getMessage()).contains("timed out after 1000 ms");
                });
        assertThat(millisSince(start)).isBetween(900L, 3000L);
        assertThat(chaos.timeouts()).isEqualTo(1);
    }

    @Test
    void hangingConnectEndsAtDriverManagerLoginTimeout() {
        int before = DriverManager.getLoginTimeout();
        DriverManager.setLoginTimeout(1);
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> DriverManager.getConnection(url("hangConnect=true"), "sa", ""))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(e.getCause()).isInstanceOf(SocketTimeoutException.class));
            assertThat(millisSince(start)).isBetween(900L, 3000L);
        } finally {
            DriverManager.setLoginTimeout(before);
        }
    }

    @Test
    void hangingConnectHonoursConnectTimeoutInItsDriversUnit() {
        long start = System.nanoTime();
        // pgjdbc style: seconds; here the shorter of loginTimeout and connectTimeout wins
        assertThatThrownBy(() -> new ChaosDriver().connect(url("hangConnect"), props("connectTimeout", "1", "loginTimeout", "30")))
                .isInstanceOf(SQLException.class);
        assertThat(millisSince(start)).isBetween(900L, 3000L);
        // in the real URL's query string
        assertThat(ChaosDriver.loginTimeoutMillis("jdbc:postgresql://h/db?loginTimeout=2&x=y", new Properties())).isEqualTo(2000);
        // MariaDB/MySQL: milliseconds
        assertThat(ChaosDriver.loginTimeoutMillis("jdbc:mariadb://h/db", props("connectTimeout", "700"))).isEqualTo(700);
        assertThat(ChaosDriver.loginTimeoutMillis("jdbc:mysql://h/db?connectTimeout=900", new Properties())).isEqualTo(900);
    }

    @Test
    void hangingConnectWithoutATimeoutEndsOnInterruptOrWhenTheFaultIsCleared() throws Exception {
        int before = DriverManager.getLoginTimeout();
        DriverManager.setLoginTimeout(0);
        try {
            chaos.hangConnect(true);
            Future<Connection> hung = pool.submit(() -> DriverManager.getConnection(url(), "sa", ""));
            awaitInFlight(1);
            long start = System.nanoTime();
            hung.cancel(true); // interrupts
            awaitInFlight(0);
            assertThat(millisSince(start)).isLessThan(1000);

            Future<Connection> released = pool.submit(() -> DriverManager.getConnection(url(), "sa", ""));
            awaitInFlight(1);
            chaos.hangConnect(false);
            try (Connection c = released.get(3, TimeUnit.SECONDS)) {
                assertThat(selectOne(c)).isEqualTo(1);
            }
        } finally {
            DriverManager.setLoginTimeout(before);
        }
    }

    @Test
    void failingConnectWithAChosenSqlState() {
        assertThatThrownBy(() -> DriverManager.getConnection(url("failConnect=1"), "sa", ""))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> {
                    assertThat(((SQLException) e).getSQLState()).isEqualTo("08001");
                    assertThat(e.getCause()).isInstanceOf(ConnectException.class);
                });
        assertThatThrownBy(() -> DriverManager.getConnection(url("failConnect=true", "failConnectState=28P01"), "app", "x"))
                .satisfies(e -> {
                    assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01");
                    assertThat(e.getMessage()).contains("authentication failed for user \"app\"");
                });
        chaos.failConnect("08004");
        assertThatThrownBy(() -> DriverManager.getConnection(url(), "sa", ""))
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08004"));
        assertThat(chaos.injectedFailures()).isEqualTo(3);
        assertThat(chaos.connectsOpened()).isZero();
    }

    @Test
    void failingConnectWithAProbability() throws SQLException {
        String u = url("failConnect=0.5");
        int failed = 0;
        for (int i = 0; i < 200; i++) {
            try (Connection c = DriverManager.getConnection(u, "sa", "")) {
                assertThat(c.isClosed()).isFalse();
            } catch (SQLException e) {
                failed++;
            }
        }
        assertThat(failed).isBetween(50, 150);
        assertThat(chaos.connectAttempts()).isEqualTo(200);
    }

    @Test
    void countsConcurrentConnects() throws Exception {
        chaos.connectDelay(Duration.ofMillis(400));
        List<Future<Connection>> futures = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            futures.add(pool.submit(() -> DriverManager.getConnection(url(), "sa", "")));
        }
        for (Future<Connection> f : futures) {
            f.get(5, TimeUnit.SECONDS).close();
        }
        assertThat(chaos.maxConnectsInFlight()).isEqualTo(3);
        assertThat(chaos.connectsInFlight()).isZero();
        chaos.resetCounters();
        assertThat(chaos.maxConnectsInFlight()).isZero();
        assertThat(chaos.connectAttempts()).isZero();
    }

    // ------------------------------------------------------------------------------------------
    // Execute faults, query and network timeouts

    @Test
    void slowExecute() throws SQLException {
        try (Connection c = DriverManager.getConnection(url("executeDelay=300ms"), "sa", "")) {
            long start = System.nanoTime();
            assertThat(selectOne(c)).isEqualTo(1);
            assertThat(millisSince(start)).isBetween(290L, 3000L);
        }
    }

    @Test
    void slowExecuteIsCutByTheQueryTimeoutAndTheConnectionStaysUsable() throws SQLException {
        try (Connection c = DriverManager.getConnection(url("executeDelay=10s"), "sa", "");
             Statement st = c.createStatement()) {
            st.setQueryTimeout(1);
            long start = System.nanoTime();
            assertThatThrownBy(() -> st.execute("select 1")).isInstanceOf(SQLTimeoutException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"));
            assertThat(millisSince(start)).isBetween(900L, 3000L);
            chaos.executeDelay(Duration.ZERO);
            assertThat(c.isClosed()).isFalse();
            assertThat(selectOne(c)).isEqualTo(1);
        }
    }

    @Test
    void hangingExecuteIsCutByTheNetworkTimeoutWhichClosesTheConnection() throws SQLException {
        try (Connection c = DriverManager.getConnection(url("hangExecute=true"), "sa", "")) {
            c.setNetworkTimeout(pool, 500);
            assertThat(c.getNetworkTimeout()).isEqualTo(500);
            try (PreparedStatement ps = c.prepareStatement("select 1")) {
                ps.setQueryTimeout(5); // the network timeout is shorter: it wins
                long start = System.nanoTime();
                assertThatThrownBy(ps::executeQuery).isInstanceOf(SQLException.class)
                        .isNotInstanceOf(SQLTimeoutException.class)
                        .satisfies(e -> {
                            assertThat(((SQLException) e).getSQLState()).isEqualTo("08006");
                            assertThat(e.getCause()).isInstanceOf(SocketTimeoutException.class);
                        });
                assertThat(millisSince(start)).isBetween(450L, 2500L);
            }
            assertThat(c.isClosed()).isTrue();
            assertThat(c.isValid(1)).isFalse();
            assertThatThrownBy(() -> c.getNetworkTimeout()).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void theShorterTimeoutWins() throws SQLException {
        try (Connection c = DriverManager.getConnection(url("hangExecute=true"), "sa", "");
             Statement st = c.createStatement()) {
            c.setNetworkTimeout(pool, 5000);
            st.setQueryTimeout(1); // shorter than the network timeout: a query timeout, connection kept
            long start = System.nanoTime();
            assertThatThrownBy(() -> st.executeQuery("select 1")).isInstanceOf(SQLTimeoutException.class);
            assertThat(millisSince(start)).isBetween(900L, 3000L);
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void hangingExecuteEndsOnCancelOrCloseFromAnotherThread() throws Exception {
        try (Connection c = DriverManager.getConnection(url(), "sa", "")) {
            chaos.hangExecute(true);
            Statement st = c.createStatement();
            Future<?> cancelled = pool.submit(() -> st.execute("select 1"));
            awaitExecutes(1);
            Thread.sleep(50);
            long start = System.nanoTime();
            st.cancel();
            assertThatThrownBy(() -> cancelled.get(2, TimeUnit.SECONDS)).hasCauseInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e.getCause()).getSQLState()).isEqualTo("57014"));
            assertThat(millisSince(start)).isLessThan(1000);

            Future<?> closed = pool.submit(() -> st.execute("select 1"));
            awaitExecutes(2);
            Thread.sleep(50);
            start = System.nanoTime();
            c.abort(pool);
            assertThatThrownBy(() -> closed.get(2, TimeUnit.SECONDS)).hasCauseInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e.getCause()).getSQLState()).isEqualTo("08003"));
            assertThat(millisSince(start)).isLessThan(1000);
            assertThat(c.isClosed()).isTrue();
        }
    }

    @Test
    void failingExecute() throws SQLException {
        try (Connection c = DriverManager.getConnection(url("failExecute=1", "failExecuteState=40001"), "sa", "")) {
            assertThatThrownBy(() -> selectOne(c)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("40001"));
            assertThat(c.isClosed()).isFalse(); // not a connection error: still usable
            chaos.failExecute("08006");
            assertThatThrownBy(() -> selectOne(c))
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08006"));
            assertThat(c.isClosed()).isTrue(); // a broken link closes the connection
        }
        try (Connection c = DriverManager.getConnection(url("failExecute=0.5"), "sa", "")) {
            chaos.failExecute("40001", 0.5);
            int failed = 0;
            for (int i = 0; i < 200; i++) {
                try {
                    selectOne(c);
                } catch (SQLException e) {
                    failed++;
                }
            }
            assertThat(failed).isBetween(50, 150);
        }
    }

    // ------------------------------------------------------------------------------------------
    // isValid

    @Test
    void brokenIsValid() throws Exception {
        try (Connection c = DriverManager.getConnection(url("isValid=false"), "sa", "")) {
            assertThat(c.isValid(1)).isFalse();
            assertThat(selectOne(c)).isEqualTo(1); // only validation lies

            chaos.isValid(Chaos.IsValid.HANG);
            long start = System.nanoTime();
            assertThat(c.isValid(1)).isFalse(); // bounded by its own timeout
            assertThat(millisSince(start)).isBetween(900L, 3000L);

            c.setNetworkTimeout(pool, 300);
            start = System.nanoTime();
            assertThat(c.isValid(0)).isFalse(); // bounded by the network timeout
            assertThat(millisSince(start)).isBetween(250L, 2000L);

            c.setNetworkTimeout(pool, 0);
            Future<Boolean> hung = pool.submit(() -> c.isValid(0));
            Thread.sleep(100);
            chaos.isValid(Chaos.IsValid.OK); // clearing the fault releases it: the real answer
            assertThat(hung.get(2, TimeUnit.SECONDS)).isTrue();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Layers

    @Test
    void runtimeSettingsOverrideTheUrlAndResetReturnsToIt() throws SQLException {
        try (Connection c = DriverManager.getConnection(url("failExecute=1", "failExecuteState=40001"), "sa", "")) {
            assertThatThrownBy(() -> selectOne(c)).isInstanceOf(SQLException.class);
            chaos.healthy();
            assertThat(selectOne(c)).isEqualTo(1);
            chaos.reset();
            assertThatThrownBy(() -> selectOne(c)).isInstanceOf(SQLException.class);
            chaos.failExecute("40001", 0);
            assertThat(selectOne(c)).isEqualTo(1);
            ChaosDriver.resetAll();
            assertThatThrownBy(() -> selectOne(c)).isInstanceOf(SQLException.class);
        }
        assertThat(ChaosDriver.control(name)).isSameAs(chaos);
        assertThat(ChaosDriver.control()).isSameAs(ChaosDriver.control(ChaosDriver.DEFAULT_NAME));
        assertThat(chaos.name()).isEqualTo(name);
    }

    private void awaitExecutes(long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (chaos.executes() < n) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("executes: " + chaos.executes() + ", expected " + n);
            }
            Thread.sleep(5);
        }
    }

    private void awaitInFlight(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (chaos.connectsInFlight() != n) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("connects in flight: " + chaos.connectsInFlight() + ", expected " + n);
            }
            Thread.sleep(5);
        }
    }
}
