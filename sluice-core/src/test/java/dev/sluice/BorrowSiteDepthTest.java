package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stub.StubDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Leak detection's FRAME capture walks the stack with a StackWalker whose first batch holds 8
 * frames; when the pool's own frames between the capture and the borrower push the borrower out
 * of that batch, the walker fetches a second one and each borrow costs about 2.5 times as much (and
 * 1.8 KB instead of 800 B). This keeps the pool's part of a plain getConnection() within budget, and
 * that of a tenant's borrow within the batch of 10 that pools behind a tenant router walk with.
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
            assertPoolFramesAtMost(held.get(0).borrowSite(), 5);
        }
    }

    /**
     * A tenant's borrow passes through TenantDataSource and the router too, two frames more; its
     * pool walks with a first batch of 10 for them. Beyond 7 pool frames the borrower would fall
     * out of that batch as well.
     */
    @ParameterizedTest
    @EnumSource(TenantMode.class)
    void aTenantBorrowReachesTheCaptureThroughAtMostSevenPoolFrames(TenantMode mode) throws Exception {
        assertTenantBorrowFramesAtMostSeven(mode, false);
    }

    /** The same for a tenant among others, whose pool or slots the router finds in its map. */
    @ParameterizedTest
    @EnumSource(TenantMode.class)
    void aBorrowOfATenantAmongOthersReachesTheCaptureThroughAtMostSevenPoolFrames(TenantMode mode) throws Exception {
        assertTenantBorrowFramesAtMostSeven(mode, true);
    }

    private static void assertTenantBorrowFramesAtMostSeven(TenantMode mode, boolean amongOthers) throws Exception {
        StubDatabase db = StubDatabase.create();
        BlockingQueue<LeakReport> reports = new LinkedBlockingQueue<>();
        SluiceConfig.Builder template = SluiceConfig.builder().jdbcUrl(db.url()).poolName("site-depth-" + mode).maximumPoolSize(1)
                .leakDetectionThreshold(Duration.ofMillis(100)).leakDetectionStacks(BorrowStack.FULL).listener(new PoolListener() {
                    @Override
                    public void leakSuspected(LeakReport report) {
                        reports.add(report);
                    }
                });
        TenantDataSource.Builder b = TenantDataSource.builder().globalMaximumPoolSize(2).mode(mode);
        if (mode == TenantMode.DATABASE) {
            b.template(template.minimumIdle(0).build()).tenantUrl(t -> db.url());
        } else {
            b.template(template.build());
        }
        try (TenantDataSource tenants = b.build()) {
            if (amongOthers) {
                tenants.getConnection("shop_b").close();
            }
            // The first borrow may have to open the tenant's connection (the timed path, deeper still and
            // dearer anyway); the one measured finds it idle, as nearly every borrow does.
            tenants.getConnection("shop_a").close();
            try (Connection c = tenants.getConnection("shop_a")) {
                LeakReport report = reports.poll(10, TimeUnit.SECONDS);
                assertThat(report).as("a leak report for the held connection").isNotNull();
                assertPoolFramesAtMost(report.borrowSite(), 7);
            }
        }
    }

    /** The frames of {@code site} from the capture down to this test's, the borrower: the pool's part of the walk. */
    private static void assertPoolFramesAtMost(Throwable site, int most) {
        StackTraceElement[] stack = site.getStackTrace();
        int poolFrames = 0;
        while (poolFrames < stack.length && !stack[poolFrames].getClassName().equals(BorrowSiteDepthTest.class.getName())) {
            poolFrames++;
        }
        assertThat(poolFrames).as("frames from the capture down to the borrower: %s", List.of(stack).subList(0, Math.min(most + 5, stack.length)))
                .isLessThanOrEqualTo(most);
    }
}
