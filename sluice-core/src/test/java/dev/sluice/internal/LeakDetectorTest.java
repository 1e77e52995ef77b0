package dev.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.BorrowStack;
import dev.sluice.CloseReason;
import dev.sluice.FailureReason;
import dev.sluice.LeakReport;
import dev.sluice.NestedAcquisition;
import dev.sluice.PoolListener;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceFailure;
import dev.sluice.stub.StubConnection;
import dev.sluice.stub.StubDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Leak reports (through System.Logger, JUL by default, and listeners) with the borrower's stack,
 * their follow-up, and abandon reclaim, on a clock the test moves.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LeakDetectorTest {
    private final Logger logger = Logger.getLogger("dev.sluice.Pool");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final StubDatabase db = StubDatabase.create();
    private ClockedPool clocked;

    @BeforeEach
    void capture() {
        logger.addHandler(capture);
    }

    @AfterEach
    void release() {
        logger.removeHandler(capture);
        if (clocked != null) {
            clocked.close();
        }
    }

    private Pool pool(SluiceConfig.Builder b) throws SQLException {
        clocked = new ClockedPool(b.jdbcUrl(db.url()));
        return clocked.pool;
    }

    private boolean warned() {
        return records.stream().anyMatch(r -> r.getLevel() == Level.WARNING);
    }

    @Test
    void aLeakIsReportedWithTheBorrowersStackAndAFollowUpWhenItComesBack() throws Exception {
        Pool pool = pool(SluiceConfig.builder().poolName("leaky").password("do-not-print-me").maximumPoolSize(1)
                .leakDetectionThreshold(Duration.ofMillis(200)));
        long start = clocked.clock.read();
        Connection c = pool.acquire();
        clocked.advance(Duration.ofMillis(200));
        assertThat(warned()).as("not reported before the threshold").isFalse();
        long[] reportedAt = {-1};
        clocked.advance(Duration.ofSeconds(1), () -> {
            if (reportedAt[0] < 0 && warned()) {
                reportedAt[0] = clocked.since(start).toMillis();
            }
        });
        assertThat(reportedAt[0]).as("within threshold + 1 s").isBetween(201L, 1200L);
        LogRecord report = records.stream().filter(r -> r.getLevel() == Level.WARNING).findFirst().orElseThrow();
        assertThat(report.getMessage()).contains("leaky").contains("possible leak").contains(Thread.currentThread().getName());
        assertThat(report.getThrown().getStackTrace())
                .anySatisfy(f -> assertThat(f.getMethodName()).isEqualTo("aLeakIsReportedWithTheBorrowersStackAndAFollowUpWhenItComesBack"));
        assertThat(pool.stats().leaksSuspected()).isEqualTo(1);
        c.close();
        assertThat(records).anySatisfy(r -> assertThat(r.getMessage()).contains("was returned after"));
        assertThat(records).allSatisfy(r -> assertThat(r.getMessage()).doesNotContain("do-not-print-me"));
    }

    @ParameterizedTest
    @EnumSource(BorrowStack.class)
    void aLeakReportNamesTheMethodThatBorrowedInBothModes(BorrowStack stacks) throws Exception {
        List<LeakReport> reports = new CopyOnWriteArrayList<>();
        PoolListener l = new PoolListener() {
            @Override
            public void leakSuspected(LeakReport report) {
                reports.add(report);
            }
        };
        Pool pool = pool(SluiceConfig.builder().poolName("leak-" + stacks).maximumPoolSize(1)
                .leakDetectionThreshold(Duration.ofMillis(100)).leakDetectionStacks(stacks).listener(l));
        Connection c = leakFrom(pool);
        clocked.advance(Duration.ofSeconds(1));
        assertThat(reports).hasSize(1);
        StackTraceElement[] site = reports.get(0).borrowSite().getStackTrace();
        if (stacks == BorrowStack.FRAME) {
            // Only the borrower: no frame of the pool, the handle or the JDK before it.
            assertThat(site).hasSize(1);
            assertThat(site[0].getClassName()).isEqualTo(LeakDetectorTest.class.getName());
            assertThat(site[0].getMethodName()).isEqualTo("leakFrom");
            assertThat(site[0].getLineNumber()).isPositive();
        } else {
            assertThat(site).anySatisfy(f -> assertThat(f.getMethodName()).isEqualTo("leakFrom"));
            assertThat(site).anySatisfy(f -> assertThat(f.getMethodName()).isEqualTo("aLeakReportNamesTheMethodThatBorrowedInBothModes"));
        }
        LogRecord logged = records.stream().filter(r -> r.getLevel() == Level.WARNING).findFirst().orElseThrow();
        assertThat(logged.getThrown().getStackTrace()).anySatisfy(f -> assertThat(f.getMethodName()).isEqualTo("leakFrom"));
        c.close();
    }

    private static Connection leakFrom(Pool pool) throws SQLException {
        return pool.acquire();
    }

    @Test
    void theBorrowersFrameIsTheFirstOutsideSluiceAndJavaSql() {
        assertThat(BorrowSite.isPoolSide(Pool.class)).isTrue();
        assertThat(BorrowSite.isPoolSide(dev.sluice.SluiceDataSource.class)).isTrue();
        assertThat(BorrowSite.isPoolSide(ConnectionHandle.class)).isTrue();
        assertThat(BorrowSite.isPoolSide(java.sql.DriverManager.class)).isTrue();
        assertThat(BorrowSite.isPoolSide(javax.sql.DataSource.class)).isTrue();
        // A test shares Sluice's packages but not its jar: it is a borrower.
        assertThat(BorrowSite.isPoolSide(LeakDetectorTest.class)).isFalse();
        assertThat(BorrowSite.isPoolSide(String.class)).isFalse();
        // Shaded into one jar with Sluice, the application is still the borrower.
        assertThat(BorrowSite.isPoolSide(org.junit.jupiter.api.Test.class)).isFalse();
    }

    @Test
    void noStackIsCapturedWhenDetectionIsOff() throws Exception {
        Pool pool = pool(SluiceConfig.builder().maximumPoolSize(1).housekeepingPeriod(Duration.ofMillis(20))
                .nestedAcquisition(NestedAcquisition.FAIL));
        Connection c = pool.acquire();
        clocked.advance(Duration.ofMillis(200));
        // Besides a leak report, only a nested borrow reads the held connection's borrow stack:
        // it names where that connection was borrowed when, and only when, the stack was captured.
        assertThatThrownBy(() -> pool.acquire(TimeUnit.MILLISECONDS.toNanos(100), false, 0))
                .satisfies(e -> assertThat(SluiceFailure.reasonOf(e)).contains(FailureReason.NESTED_ACQUISITION))
                .hasMessageContaining("borrowed at unknown");
        c.close();
        assertThat(pool.stats().leaksSuspected()).isZero();
        assertThat(records).noneSatisfy(r -> assertThat(r.getLevel()).isEqualTo(Level.WARNING));
    }

    @Test
    void leakReportsCarryTheCallersContext() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        PoolListener l = new PoolListener() {
            @Override
            public void leakSuspected(LeakReport report) {
                events.add("leak:" + report.context());
            }

            @Override
            public void leakResolved(LeakReport report, Duration heldFor) {
                events.add("leak-resolved");
            }
        };
        Pool pool = pool(SluiceConfig.builder().poolName("context").maximumPoolSize(1)
                .leakDetectionThreshold(Duration.ofMillis(100)).borrowContext(() -> Map.of("traceId", "abc123")).listener(l));
        try (Connection c = pool.acquire()) {
            clocked.advance(Duration.ofSeconds(1));
            assertThat(events).contains("leak:{traceId=abc123}");
        }
        assertThat(events).contains("leak-resolved");
    }

    @Test
    void anAbandonedConnectionIsAbortedAndItsSlotReclaimed() throws Exception {
        Pool pool = pool(SluiceConfig.builder().poolName("abandon").maximumPoolSize(1).abandonTimeout(Duration.ofMillis(300)));
        Connection lost = pool.acquire();
        StubConnection raw = StubConnection.of(lost.unwrap(StubConnection.Physical.class));
        clocked.advance(Duration.ofMillis(300));
        assertThat(raw.aborted).as("not before abandonTimeout").isFalse();
        clocked.advance(Duration.ofMillis(300));
        try (Connection next = pool.acquire(TimeUnit.SECONDS.toNanos(5), false, 0)) {
            assertThat(next.isValid(1)).isTrue();
        }
        ClockedPool.awaitUntil(() -> raw.aborted, "the abandoned connection's abort");
        assertThatThrownBy(lost::createStatement).isInstanceOf(SQLException.class);
        lost.close();
        assertThat(pool.stats().closed(CloseReason.ABORTED)).isEqualTo(1);
        assertThat(pool.stats().abandoned()).isEqualTo(1);
        assertThat(pool.stats().open()).isEqualTo(1);
    }
}
