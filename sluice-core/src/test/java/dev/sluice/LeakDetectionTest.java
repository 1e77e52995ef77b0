package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stub.StubDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
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

/** Leak reports go through System.Logger (JUL by default), with the borrower's stack. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LeakDetectionTest {
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

    @BeforeEach
    void capture() {
        logger.addHandler(capture);
    }

    @AfterEach
    void release() {
        logger.removeHandler(capture);
    }

    @Test
    void aLeakIsReportedWithTheBorrowersStackAndAFollowUpWhenItComesBack() throws Exception {
        StubDatabase db = StubDatabase.create();
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).poolName("leaky")
                .password("do-not-print-me").maximumPoolSize(1).leakDetectionThreshold(Duration.ofMillis(200)).build())) {
            long start = System.nanoTime();
            Connection c = ds.getConnection();
            PoolBehaviourTest.awaitUntil(() -> records.stream().anyMatch(r -> r.getLevel() == Level.WARNING));
            long reportedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(reportedAfterMs).as("within threshold + 1 s").isLessThan(1200);
            LogRecord report = records.stream().filter(r -> r.getLevel() == Level.WARNING).findFirst().orElseThrow();
            assertThat(report.getMessage()).contains("leaky").contains("possible leak").contains(Thread.currentThread().getName());
            assertThat(report.getThrown().getStackTrace())
                    .anySatisfy(f -> assertThat(f.getMethodName()).isEqualTo("aLeakIsReportedWithTheBorrowersStackAndAFollowUpWhenItComesBack"));
            assertThat(ds.stats().leaksSuspected()).isEqualTo(1);
            c.close();
            assertThat(records).anySatisfy(r -> assertThat(r.getMessage()).contains("was returned after"));
            assertThat(records).allSatisfy(r -> assertThat(r.getMessage()).doesNotContain("do-not-print-me"));
        }
    }

    @Test
    void noStackIsCapturedWhenDetectionIsOff() throws Exception {
        StubDatabase db = StubDatabase.create();
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).maximumPoolSize(1)
                .housekeepingPeriod(Duration.ofMillis(20)).nestedAcquisition(NestedAcquisition.FAIL).build())) {
            Connection c = ds.getConnection();
            Thread.sleep(200);
            // Besides a leak report, only a nested borrow reads the held connection's borrow stack:
            // it names where that connection was borrowed when, and only when, the stack was captured.
            assertThatThrownBy(() -> ds.getConnection(Duration.ofMillis(100)))
                    .satisfies(e -> assertThat(SluiceFailure.reasonOf(e)).contains(FailureReason.NESTED_ACQUISITION))
                    .hasMessageContaining("borrowed at unknown");
            c.close();
            assertThat(ds.stats().leaksSuspected()).isZero();
            assertThat(records).noneSatisfy(r -> assertThat(r.getLevel()).isEqualTo(Level.WARNING));
        }
    }
}
