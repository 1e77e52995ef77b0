package dev.sluice.it.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.FailureReason;
import dev.sluice.it.DatabaseTest;
import dev.sluice.it.TestDatabase;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;

/**
 * The fault scenarios (S1–S8) against Sluice, through a {@link dev.sluice.testkit.FaultProxy}
 * in front of each database of the matrix (H2 over TCP always; PostgreSQL and MariaDB skipped when
 * unreachable, failed when {@code CI=true}), with the {@link Durations#SHORT short} durations.
 *
 * <p>The bounds are generous — scheduling noise on a busy 2-core CI machine must not fail them —
 * but every one of them is far below the bad case it guards against: a constructor or caller hung
 * for the driver's own timeouts (tens of seconds or forever), a caller waiting out its whole
 * connectionTimeout (5 s) while the database is down, every stale connection handed out in turn.
 * The measured figures, side by side with HikariCP and with the full durations, are in
 * docs/reliability.md ({@code scenarios/run.sh}).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FaultScenarioTest {

    private static Scenarios sluice(Target t) {
        return new Scenarios(PoolKind.SLUICE, t, Durations.SHORT);
    }

    private static void report(TestDatabase db, String scenario, Object result) {
        System.out.println("[scenario] " + scenario + " " + db + ": " + result);
    }

    @DatabaseTest
    void s1ConstructorFailsFastAndClassifiedWhenTheDatabaseIsDown(TestDatabase db) throws Exception {
        try (Target t = Target.start(db)) {
            Scenarios.ConstructorResult r = sluice(t).s1DownAtStart();
            report(db, "S1", r);
            assertThat(r.started()).as("the pool started against a refusing port").isFalse();
            assertThat(r.reason()).as("classified: %s", r.error()).isEqualTo(FailureReason.CONNECT_REFUSED);
            // Refused is immediate on PostgreSQL and MariaDB; H2's client retries a refused connect for about 1.25 s.
            assertThat(r.millis()).as("constructor time, connectionTimeout %d ms", r.boundMillis()).isLessThan(r.boundMillis());
        }
    }

    @DatabaseTest
    void s1bConstructorFailsWithinItsBoundWhenTheNetworkSwallowsTheConnect(TestDatabase db) throws Exception {
        try (Target t = Target.start(db)) {
            Scenarios.ConstructorResult r = sluice(t).s1bBlackholeAtStart();
            report(db, "S1b", r);
            assertThat(r.hung()).as("the constructor hung").isFalse();
            assertThat(r.started()).isFalse();
            assertThat(r.reason()).as("classified: %s", r.error()).isEqualTo(FailureReason.CONNECT_TIMEOUT);
            assertThat(r.millis()).as("constructor time, connectionTimeout %d ms", r.boundMillis()).isLessThan(r.boundMillis() + 1000);
        }
    }

    @DatabaseTest
    void s2s3FailsFastWhileTheDatabaseIsDownAndRecoversQuickly(TestDatabase db) throws Exception {
        try (Target t = Target.start(db)) {
            Scenarios.OutageResult r = sluice(t).s2s3OutageAndRecovery();
            report(db, "S2/S3", r);
            assertThat(r.baselinePerSecond()).as("throughput before the outage").isGreaterThan(50);
            assertThat(r.breakerOpens()).as("the breaker opened").isGreaterThanOrEqualTo(1);
            assertThat(r.failedAcquireBreakerOpen().count()).as("calls failed while the breaker was open").isPositive();
            // Target 10 ms; the bad case is the whole connectionTimeout (5 s).
            assertThat(r.failedAcquireBreakerOpen().p99()).as("p99 of getConnection while the breaker is open, ms").isLessThan(100);
            // Targets 150 ms and 500 ms; the bad case (a breaker that backs off to seconds, a pool that does not
            // refill) takes seconds. Throughput is compared with the lower of the rates before and after: on a
            // shared 2-core CI machine a neighbour's load can change between the two, which says nothing of the pool.
            assertThat(r.firstSuccessMillis()).as("restore to first success, ms").isNotNull().isLessThan(1000L);
            assertThat(r.ninetyOfReferenceMillis()).as("restore to 90%% of the throughput, ms (series %s)", r.recoverySeries())
                    .isNotNull().isLessThan(1000L);
            assertThat(r.openAfterRecovery()).as("connections open after the recovery").isEqualTo(4);
        }
    }

    @DatabaseTest
    void s4NoCallerOrQueryOutlivesItsDeadlineWhenTheNetworkBlackholes(TestDatabase db) throws Exception {
        try (Target t = Target.start(db)) {
            Scenarios.BlackholeResult r = sluice(t).s4Blackhole(false);
            report(db, "S4", r);
            if (db.kind() == TestDatabase.Kind.H2) {
                // H2's JdbcConnection.setNetworkTimeout is a no-op and its client has no socket timeout: a
                // query already sent on a blackholed connection cannot be bounded by any pool; it ends when
                // the network returns. getConnection is still bounded (asserted), and nothing stays stuck.
                assertThat(r.stuck()).isFalse();
                assertThat(r.worstAcquireMillis()).as("slowest getConnection, deadline %d ms", r.deadlineMillis())
                        .isLessThan(r.deadlineMillis() + 500);
                assertThat(r.worstRequestMillis()).as("slowest request: the blackhole's length, not longer")
                        .isLessThan(r.blackhole().toMillis() + 1500);
                return;
            }
            assertS4(r);
        }
    }

    @DatabaseTest
    void s4WithUserSetSocketTimeoutsTheDeadlineStillWins(TestDatabase db) throws Exception {
        try (Target t = Target.start(db)) {
            Scenarios.BlackholeResult r = sluice(t).s4Blackhole(true);
            Assumptions.assumeTrue(r != null, "H2's driver has no socket timeout to set");
            report(db, "S4 socketTimeout", r);
            assertS4(r);
        }
    }

    private static void assertS4(Scenarios.BlackholeResult r) {
        assertThat(r.ok()).as("requests served before and after the fault").isPositive();
        assertThat(r.stuck()).as("threads stuck after the fault ended").isFalse();
        // The bad case waits the whole blackhole (3 s here, 15 s in the full run) or longer.
        assertThat(r.worstAcquireMillis()).as("slowest getConnection, deadline %d ms", r.deadlineMillis())
                .isLessThan(r.deadlineMillis() + 500);
        assertThat(r.worstRequestMillis()).as("slowest request under a scoped Deadline of %d ms", r.deadlineMillis())
                .isLessThan(r.deadlineMillis() + 500);
    }

    @DatabaseTest
    void s5NoErrorAfterTheServerKilledEveryIdleBackend(TestDatabase db) throws Exception {
        try (Target t = Target.start(db)) {
            Scenarios.ErrorsResult r = sluice(t).s5KilledWhileIdle();
            report(db, "S5", r);
            assertThat(r.errors()).as("application-visible errors in %d calls; first: %s", r.calls(), r.firstError()).isZero();
        }
    }

    @DatabaseTest
    void s5hAtMostOneErrorWhenBackendsAreKilledRightAfterUse(TestDatabase db) throws Exception {
        try (Target t = Target.start(db)) {
            Scenarios.ErrorsResult r = sluice(t).s5hKilledRightAfterUse();
            report(db, "S5h", r);
            Assumptions.assumeTrue(r.lastUseToCallsMs() < 400,
                    "the kill took " + r.lastUseToCallsMs() + " ms: the calls did not start inside the 500 ms validation bypass window");
            assertThat(r.errors()).as("application-visible errors in %d calls; first: %s", r.calls(), r.firstError())
                    .isLessThanOrEqualTo(1);
        }
    }

    @DatabaseTest
    void s6NoErrorWhenTheServerIdleTimeoutIsShorterThanThePoolsIdleTime(TestDatabase db) throws Exception {
        try (Target t = Target.start(db)) {
            Scenarios.ErrorsResult r = sluice(t).s6ServerIdleTimeout();
            Assumptions.assumeTrue(r.skipped() == null, r.skipped());
            report(db, "S6", r);
            assertThat(r.errors()).as("application-visible errors in %d calls; first: %s", r.calls(), r.firstError()).isZero();
        }
    }

    @DatabaseTest
    void s7ConnectionsOpenedTogetherAreRetiredSpreadOut(TestDatabase db) throws Exception {
        try (Target t = Target.start(db)) {
            Scenarios.LifetimeResult r = sluice(t).s7LifetimeStorm();
            report(db, "S7", r);
            assertThat(r.originalsRetired()).as("original connections retired").isEqualTo(r.poolSize());
            assertThat(r.maxRetiredWithinOneSecond()).as("retired within one second (a quarter of %d)", r.poolSize())
                    .isLessThanOrEqualTo(r.poolSize() / 4);
            assertThat(r.minOpen()).as("fewest connections open while replacing (minimumIdle %d)", r.poolSize())
                    .isGreaterThanOrEqualTo(r.poolSize());
            assertThat(r.errors()).as("errors under load").isZero();
        }
    }

    @DatabaseTest
    void s8SlowConnectsUnderABurstKeepDeadlinesAndTheConnectBound(TestDatabase db) throws Exception {
        try (Target t = Target.start(db)) {
            Scenarios.SlowConnectResult r = sluice(t).s8SlowConnectBurst();
            report(db, "S8", r);
            assertThat(r.late()).as("callers past their %d ms deadline (slowest %d ms)", r.deadlineMillis(), r.worstMillis()).isZero();
            assertThat(r.worstMillis()).isLessThan(r.deadlineMillis() + 500);
            assertThat(r.maxConnectsInFlight()).as("connects at once (maxConcurrentCreates 2)").isBetween(1, 2);
            assertThat(r.served()).as("callers served once the first connections opened").isPositive();
        }
    }
}
