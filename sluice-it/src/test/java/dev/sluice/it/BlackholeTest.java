package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.FailureReason;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import dev.sluice.SluiceFailure;
import dev.sluice.testkit.SilentServer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A database that accepts TCP connections and never answers (a blackhole: {@link SilentServer})
 * must never hold a caller past its deadline, whatever the driver does: pgjdbc and MariaDB get
 * connect/login timeouts derived from the deadline, H2 has none and is abandoned at it. The bad
 * case, with driver defaults and no pool-side bound, hangs for minutes or forever.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlackholeTest {
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(1);
    /** Far below the bad case (unbounded), wide enough for a slow CI machine. */
    private static final long BOUND_MS = 3000;

    private static SluiceConfig.Builder config(String urlForm, SilentServer server, String test) {
        String url = String.format(urlForm, server.port());
        return SluiceConfig.builder()
                .poolName("it-" + test + "-" + url.split(":")[1])
                .jdbcUrl(url)
                .username("nobody")
                .password("nothing")
                .maximumPoolSize(2)
                .minimumIdle(1)
                .connectionTimeout(CONNECTION_TIMEOUT)
                .validationTimeout(Duration.ofMillis(500));
    }

    private static void assertClassifiedTransientFailure(Throwable t, FailureReason... allowed) {
        assertThat(t).isInstanceOf(SQLException.class).isInstanceOf(SluiceFailure.class);
        SluiceFailure f = (SluiceFailure) t;
        assertThat(f.reason()).as("reason of: %s", t.getMessage()).isIn((Object[]) allowed);
        assertThat(f.isTransient()).isTrue();
        assertThat(((SQLException) t).getSQLState()).startsWith("08");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "jdbc:postgresql://127.0.0.1:%d/x",
        "jdbc:mariadb://127.0.0.1:%d/x",
        "jdbc:h2:tcp://127.0.0.1:%d/mem:x"})
    void getConnectionNeverWaitsPastItsDeadlineWhenTheServerAcceptsAndNeverAnswers(String urlForm) throws Exception {
        try (SilentServer server = SilentServer.start()) {
            SluiceDataSource ds = new SluiceDataSource(config(urlForm, server, "blackhole-lazy")
                    .initializationFailTimeout(Duration.ofMillis(-1)).build());
            try {
                long start = System.nanoTime();
                Throwable t = catchThrowable(ds::getConnection);
                long ms = Await.millisSince(start);
                assertClassifiedTransientFailure(t, FailureReason.ACQUIRE_TIMEOUT, FailureReason.CONNECT_TIMEOUT);
                assertThat(ms).as("getConnection() with connectionTimeout=1s").isLessThan(BOUND_MS);
                assertThat(server.acceptedConnections()).as("the driver did reach the blackhole").isPositive();

                // Shorter per-call deadlines, several callers at once: each ends at its own deadline.
                ExecutorService callers = Executors.newFixedThreadPool(4);
                try {
                    List<Future<Long>> results = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        results.add(callers.submit(() -> {
                            long s = System.nanoTime();
                            Throwable e = catchThrowable(() -> ds.getConnection(Duration.ofMillis(300)));
                            assertClassifiedTransientFailure(e, FailureReason.ACQUIRE_TIMEOUT, FailureReason.CONNECT_TIMEOUT);
                            return Await.millisSince(s);
                        }));
                    }
                    for (Future<Long> r : results) {
                        assertThat(r.get(10, TimeUnit.SECONDS)).as("getConnection(300ms)").isLessThan(1500L);
                    }
                } finally {
                    callers.shutdownNow();
                }
            } finally {
                long s = System.nanoTime();
                ds.close();
                assertThat(Await.millisSince(s)).as("close() with connects hanging").isLessThan(BOUND_MS);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "jdbc:postgresql://127.0.0.1:%d/x",
        "jdbc:mariadb://127.0.0.1:%d/x",
        "jdbc:h2:tcp://127.0.0.1:%d/mem:x"})
    void theStartupCheckFailsWithinItsBoundWhenTheServerAcceptsAndNeverAnswers(String urlForm) throws Exception {
        try (SilentServer server = SilentServer.start()) {
            SluiceConfig config = config(urlForm, server, "blackhole-startup").build(); // initializationFailTimeout: default
            long start = System.nanoTime();
            Throwable t = catchThrowable(() -> new SluiceDataSource(config).close());
            long ms = Await.millisSince(start);
            assertClassifiedTransientFailure(t, FailureReason.CONNECT_TIMEOUT);
            assertThat(ms).as("constructor with connectionTimeout=1s").isLessThan(BOUND_MS);
            assertThat(server.acceptedConnections()).as("the driver did reach the blackhole").isPositive();
        }
    }
}
