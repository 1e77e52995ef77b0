package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stub.StubDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Leak detection's FRAME capture walks the stack with a StackWalker whose first batch holds 8
 * frames; when the pool's own frames between the capture and the borrower push the borrower out
 * of that batch, the walker fetches a second one and each borrow costs about 2.5 times as much (and
 * 1.8 KB instead of 800 B). This keeps the pool's part of a plain getConnection() within budget.
 */
class BorrowSiteDepthTest {

    @Test
    void getConnectionReachesTheCaptureThroughAtMostFivePoolFrames() throws Exception {
        StubDatabase db = StubDatabase.create();
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).poolName("site-depth")
                .maximumPoolSize(1).leakDetectionThreshold(Duration.ofMinutes(1)).leakDetectionStacks(BorrowStack.FULL).build());
                Connection c = ds.getConnection()) {
            List<HeldConnection> held = ds.heldConnections();
            assertThat(held).hasSize(1);
            StackTraceElement[] stack = held.get(0).borrowSite().getStackTrace();
            int poolFrames = 0;
            while (poolFrames < stack.length && !stack[poolFrames].getClassName().equals(BorrowSiteDepthTest.class.getName())) {
                poolFrames++;
            }
            assertThat(poolFrames).as("frames from the capture down to the borrower: %s", List.of(stack).subList(0, Math.min(10, stack.length)))
                    .isLessThanOrEqualTo(5);
        }
    }
}
