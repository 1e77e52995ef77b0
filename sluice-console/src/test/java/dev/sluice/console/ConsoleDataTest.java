package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.BreakerState;
import dev.sluice.Sizing;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import dev.sluice.stub.StubDatabase;
import java.net.ConnectException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the data endpoints carry: held connections with stacks, the breaker's timeline, sizing decisions, history. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsoleDataTest {
    private static final String SECRET = "s3cret-in-a-driver-message";

    @Test
    void theSnapshotShowsWhoHoldsWhatTheBreakerDidAndWhySizingDecided() throws Exception {
        StubDatabase db = StubDatabase.create();
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).poolName("data-" + db.url().substring(10))
                .maximumPoolSize(4).minimumIdle(2).initializationFailTimeout(Duration.ofMillis(-1))
                .leakDetectionThreshold(Duration.ofSeconds(30)).sizing(Sizing.ADVISORY).sizingInterval(Duration.ofMillis(200))
                .build());
                SluiceConsole console = SluiceConsole.builder().port(0).register(ds).start()) {
            ConsoleHttp http = new ConsoleHttp(console);
            try (Connection held = ds.getConnection()) {
                String doc = until(http, console, s -> s.contains("\"thread\":\"" + Thread.currentThread().getName() + "\""));
                assertThat(doc).contains("theSnapshotShowsWhoHoldsWhatTheBreakerDidAndWhySizingDecided").contains("\"heldTotal\":1");
            }
            String sized = until(http, console, s -> s.contains("\"sizing\":[{"));
            assertThat(sized).containsPattern("\"action\":\"(GROW|SHRINK|HOLD|FREEZE)\"").contains("\"applied\":false", "\"reason\":\"");

            // The database goes away; the driver's message quotes a URL with a password in it.
            db.connectFailure = new SQLException("cannot reach jdbc:stub://app:" + SECRET + "@db/orders", "08001",
                    new ConnectException("Connection refused"));
            ds.evictAll();
            String opened = until(http, console, s -> s.contains("\"to\":\"OPEN\""));
            assertThat(ds.stats().breakerState()).isNotEqualTo(BreakerState.CLOSED);
            assertThat(opened).contains("\"from\":\"CLOSED\"").doesNotContain(SECRET)
                    .contains("app:\\u003chidden\\u003e@db"); // redacted, and escaped so it cannot be markup
            assertThat(opened).containsPattern("\"t\":\\[\\d+(,\\d+)*\\]").contains("\"inUse\":[");

            db.connectFailure = null;
            String closed = until(http, console, s -> s.contains("\"to\":\"CLOSED\""));
            assertThat(closed).doesNotContain(SECRET);
        }
    }

    /** Polls the snapshot until it satisfies {@code ready} (the console samples once a second). */
    private static String until(ConsoleHttp http, SluiceConsole console, Predicate<String> ready) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String last = null;
        while (System.nanoTime() - deadline < 0) {
            last = http.bearer("GET", "/api/snapshot", console.token()).body();
            if (ready.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the snapshot never showed it; last was " + last);
    }
}
