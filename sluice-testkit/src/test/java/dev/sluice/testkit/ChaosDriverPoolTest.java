package dev.sluice.testkit;

import static dev.sluice.testkit.FaultProxyTest.millisSince;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.Deadline;
import dev.sluice.FailureReason;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import dev.sluice.SluiceFailure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The chaos driver under a Sluice pool: the pool's deadlines hold whatever the driver does. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ChaosDriverPoolTest {
    private static final AtomicInteger IDS = new AtomicInteger();
    private String name;
    private Chaos chaos;
    private String url;

    @BeforeEach
    void setUp() {
        int n = IDS.incrementAndGet();
        name = "pool" + n;
        chaos = ChaosDriver.control(name);
        url = ChaosDriver.url("jdbc:h2:mem:pool" + n + ";DB_CLOSE_DELAY=-1", "name=" + name);
    }

    @AfterEach
    void tearDown() {
        chaos.reset(); // releases connects the pool abandoned
    }

    private SluiceConfig.Builder config() {
        return SluiceConfig.builder()
                .poolName(name)
                .jdbcUrl(url)
                .username("sa")
                .password("")
                .maximumPoolSize(2)
                .minimumIdle(0)
                .connectionTimeout(Duration.ofSeconds(1));
    }

    private static int selectOne(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aHangingConnectFailsTheConstructorByItsDeadline() {
        chaos.hangConnect(true);
        long start = System.nanoTime();
        assertThatThrownBy(() -> new SluiceDataSource(config().build()).close()).isInstanceOf(SQLException.class);
        assertThat(millisSince(start)).isLessThan(3000L);
        assertThat(chaos.connectAttempts()).isPositive();
    }

    @Test
    void aHangingConnectFailsGetConnectionByItsDeadline() throws SQLException {
        try (SluiceDataSource ds = new SluiceDataSource(config().build())) {
            try (Connection c = ds.getConnection()) {
                assertThat(selectOne(c)).isEqualTo(1);
            }
            chaos.hangConnect(true);
            ds.evictAll();
            long start = System.nanoTime();
            assertThatThrownBy(() -> ds.getConnection(Duration.ofMillis(500)).close()).isInstanceOf(SQLException.class);
            assertThat(millisSince(start)).isBetween(400L, 2500L);

            chaos.reset(); // the database answers again: so does the pool
            try (Connection c = ds.getConnection()) {
                assertThat(selectOne(c)).isEqualTo(1);
            }
        }
    }

    @Test
    void anInjectedAuthenticationFailureIsClassified() {
        chaos.failConnect("28P01");
        long start = System.nanoTime();
        assertThatThrownBy(() -> new SluiceDataSource(config().build()).close())
                .satisfies(e -> assertThat(SluiceFailure.reasonOf(e)).contains(FailureReason.AUTHENTICATION_FAILED));
        assertThat(millisSince(start)).isLessThan(1000L); // at once, not after the connection timeout
    }

    @Test
    void aHangingQueryUnderAScopedDeadlineEndsWithIt() throws SQLException {
        try (SluiceDataSource ds = new SluiceDataSource(config().build())) {
            chaos.hangExecute(true);
            long start = System.nanoTime();
            try (Deadline d = Deadline.after(Duration.ofMillis(700)); Connection c = ds.getConnection()) {
                assertThatThrownBy(() -> selectOne(c)).isInstanceOf(SQLException.class);
            }
            assertThat(millisSince(start)).isBetween(500L, 2500L); // the pool set the network timeout; the driver honoured it
            chaos.reset();
            try (Connection c = ds.getConnection()) {
                assertThat(selectOne(c)).isEqualTo(1); // the broken connection was replaced
            }
        }
    }
}
