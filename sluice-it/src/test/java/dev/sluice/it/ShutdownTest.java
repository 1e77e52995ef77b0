package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.CloseReason;
import dev.sluice.FailureReason;
import dev.sluice.PoolStats;
import dev.sluice.SluiceDataSource;
import dev.sluice.SluiceFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * close() with connections still borrowed: hand-out stops at once (waiters woken with
 * POOL_CLOSED, new calls refused), idle connections are closed at once, borrowed ones when they
 * come back, and those still out at {@code shutdownTimeout} are aborted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownTest {

    private static void assertPoolClosed(Throwable t) {
        assertThat(t).isInstanceOf(SQLException.class);
        assertThat(SluiceFailure.reasonOf(t)).as("reason of: %s", t).contains(FailureReason.POOL_CLOSED);
        assertThat(((SluiceFailure) t).isTransient()).isFalse();
    }

    /** A thread per task: the common pool may have a single thread on a small machine, and these tasks block. */
    private static final Executor NEW_THREAD = task -> {
        Thread t = new Thread(task, "it-shutdown-helper");
        t.setDaemon(true);
        t.start();
    };

    private static CompletableFuture<Void> closeInBackground(SluiceDataSource ds) {
        return CompletableFuture.runAsync(ds::close, NEW_THREAD);
    }

    @DatabaseTest
    void closeWakesWaitersWithPoolClosedAndRefusesNewCalls(TestDatabase db) throws Exception {
        SluiceDataSource ds = new SluiceDataSource(db.config("it-close-waiters-" + db.kind())
                .maximumPoolSize(1).minimumIdle(1).shutdownTimeout(Duration.ofSeconds(10)).build());
        Connection held = ds.getConnection();
        long heldBackend = db.backendId(held);
        CompletableFuture<Throwable> waiter = CompletableFuture.supplyAsync(
                () -> catchThrowable(() -> ds.getConnection(Duration.ofSeconds(20))), NEW_THREAD);
        Await.until(Duration.ofSeconds(5), () -> ds.stats().pending() == 1, "the waiter to queue");

        long start = System.nanoTime();
        CompletableFuture<Void> closing = closeInBackground(ds);
        Throwable woken = waiter.get(5, TimeUnit.SECONDS);
        assertPoolClosed(woken);
        assertThat(Await.millisSince(start)).as("the waiter is woken at once, not at its 20 s deadline").isLessThan(2000L);
        assertPoolClosed(catchThrowable(ds::getConnection));
        assertPoolClosed(catchThrowable(() -> ds.getConnection(Duration.ofSeconds(1))));
        assertThat(ds.isClosed()).isTrue();

        // The borrower is not cut off while shutdown waits for it...
        assertThat(closing).isNotDone();
        assertThat(TestDatabase.queryLong(held, "select 1")).isEqualTo(1);
        // ...and its connection is closed, not pooled, when it comes back.
        held.close();
        closing.get(5, TimeUnit.SECONDS);
        PoolStats s = ds.stats();
        assertThat(s.open()).as("%s", s).isZero();
        assertThat(s.closed(CloseReason.ABORTED)).isZero();
        assertThat(s.closed(CloseReason.POOL_CLOSED)).isEqualTo(1);
        Await.until(Duration.ofSeconds(5), () -> !db.isAlive(heldBackend), "the returned connection's session to end");
    }

    @DatabaseTest
    void closeClosesIdleConnectionsAtOnceAndBorrowedOnesWhenReturned(TestDatabase db) throws Exception {
        int size = 3;
        SluiceDataSource ds = new SluiceDataSource(db.config("it-close-idle-" + db.kind())
                .maximumPoolSize(size).minimumIdle(size).shutdownTimeout(Duration.ofSeconds(10)).build());
        List<Connection> all = new ArrayList<>();
        List<Long> backends = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Connection c = ds.getConnection();
            all.add(c);
            backends.add(db.backendId(c));
        }
        Connection held = all.get(0);
        long heldBackend = backends.get(0);
        all.get(1).close();
        all.get(2).close();
        assertThat(ds.stats().idle()).isEqualTo(2);

        CompletableFuture<Void> closing = closeInBackground(ds);
        Await.until(Duration.ofSeconds(5), () -> !db.isAlive(backends.get(1)) && !db.isAlive(backends.get(2)),
                "the idle connections' sessions to end while one is still borrowed");
        assertThat(closing).isNotDone();
        assertThat(db.isAlive(heldBackend)).isTrue();
        assertThat(TestDatabase.queryLong(held, "select 1")).isEqualTo(1);

        held.close();
        closing.get(5, TimeUnit.SECONDS);
        Await.until(Duration.ofSeconds(5), () -> !db.isAlive(heldBackend), "the returned connection's session to end");
        PoolStats s = ds.stats();
        assertThat(s.open()).as("%s", s).isZero();
        assertThat(s.closed(CloseReason.POOL_CLOSED)).isEqualTo(size);
        assertThat(s.closed(CloseReason.ABORTED)).isZero();
    }

    @DatabaseTest
    void closeAbortsConnectionsStillBorrowedAfterShutdownTimeout(TestDatabase db) throws Exception {
        SluiceDataSource ds = new SluiceDataSource(db.config("it-close-abort-" + db.kind())
                .maximumPoolSize(2).minimumIdle(1).shutdownTimeout(Duration.ofMillis(200)).build());
        Connection leaked = ds.getConnection();
        long backend = db.backendId(leaked);

        long start = System.nanoTime();
        ds.close();
        long ms = Await.millisSince(start);
        assertThat(ms).as("close() waits shutdownTimeout=200ms, then aborts").isBetween(150L, 3000L);

        PoolStats s = ds.stats();
        assertThat(s.closed(CloseReason.ABORTED)).as("%s", s).isEqualTo(1);
        assertThat(s.open()).isZero();
        Await.until(Duration.ofSeconds(5), () -> !db.isAlive(backend), "the aborted connection's session to end");
        assertThatThrownBy(() -> TestDatabase.queryLong(leaked, "select 1")).isInstanceOf(SQLException.class);
        leaked.close(); // the late borrower's close is harmless
        assertThat(ds.stats().closed(CloseReason.ABORTED)).isEqualTo(1);
        assertThat(ds.stats().closed()).isEqualTo(s.closed());
        assertPoolClosed(catchThrowable(ds::getConnection));
    }
}
