package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.CloseReason;
import dev.sluice.PoolStats;
import dev.sluice.SluiceDataSource;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * "Pseudo-idle" connections: the server ended the session while the pool believed it alive (an
 * administrator's kill, a server or firewall idle timeout). The pool must validate such a
 * connection before hand-out and replace it, so the application never sees the error.
 *
 * <p>On the real clock, against real sessions: each test idles three bypass windows, so a late
 * wake-up only adds margin. The window's exact boundary is pinned in the core on a manual clock
 * ({@code ValidationBypassTest}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StaleConnectionTest {
    private static final Duration BYPASS = Duration.ofMillis(100);

    private static long queryOne(Connection c) throws Exception {
        return TestDatabase.queryLong(c, "select 1");
    }

    @DatabaseTest
    void aConnectionKilledOnTheServerWhileIdleIsReplacedWithoutAnError(TestDatabase db) throws Exception {
        try (SluiceDataSource ds = new SluiceDataSource(db.config("it-killed-idle-" + db.kind())
                .maximumPoolSize(1).minimumIdle(1).validationBypassWindow(BYPASS).build())) {
            long before;
            try (Connection c = ds.getConnection()) {
                before = db.backendId(c);
            }
            db.kill(before);
            Thread.sleep(BYPASS.toMillis() * 3); // idle past the bypass window: validated on the next borrow

            try (Connection c = ds.getConnection()) {
                assertThat(queryOne(c)).isEqualTo(1);
                assertThat(db.backendId(c)).as("a new session").isNotEqualTo(before);
            }
            PoolStats s = ds.stats();
            assertThat(s.closed(CloseReason.VALIDATION_FAILED) + s.closed(CloseReason.BROKEN))
                    .as("the killed connection was discarded: %s", s).isGreaterThanOrEqualTo(1);
            assertThat(s.acquireTimeouts()).isZero();
        }
    }

    @DatabaseTest
    void everyIdleConnectionKilledOnTheServerIsReplacedWithoutAnError(TestDatabase db) throws Exception {
        int size = 3;
        try (SluiceDataSource ds = new SluiceDataSource(db.config("it-killed-all-" + db.kind())
                .maximumPoolSize(size).minimumIdle(size).validationBypassWindow(BYPASS).build())) {
            Set<Long> before = new HashSet<>();
            List<Connection> held = new ArrayList<>();
            try {
                for (int i = 0; i < size; i++) {
                    Connection c = ds.getConnection();
                    held.add(c);
                    before.add(db.backendId(c));
                }
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
            assertThat(before).hasSize(size);
            for (long id : before) {
                db.kill(id);
            }
            Thread.sleep(BYPASS.toMillis() * 3);

            // The application borrows all of them at once, as after a server restart under load: no errors.
            held.clear();
            try {
                for (int i = 0; i < size; i++) {
                    Connection c = ds.getConnection();
                    held.add(c);
                    assertThat(queryOne(c)).isEqualTo(1);
                    assertThat(db.backendId(c)).isNotIn(before);
                }
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
            PoolStats s = ds.stats();
            assertThat(s.closed(CloseReason.VALIDATION_FAILED) + s.closed(CloseReason.BROKEN)).as("%s", s).isEqualTo(size);
            assertThat(s.acquireTimeouts()).isZero();
        }
    }
}
