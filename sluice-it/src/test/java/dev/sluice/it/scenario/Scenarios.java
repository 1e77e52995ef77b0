package dev.sluice.it.scenario;

import dev.sluice.FailureReason;
import dev.sluice.SluiceFailure;
import dev.sluice.testkit.Chaos;
import dev.sluice.testkit.ChaosDriver;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The fault scenarios (S1–S8), written once against {@link javax.sql.DataSource} and
 * run for any {@link PoolKind} against any {@link Target}. Each scenario is bounded in time,
 * undoes its fault ({@link Target#heal()}) and closes its pool before it returns, and reports what
 * it measured as a record; the JUnit suite ({@code FaultScenarioTest}) asserts on those records for
 * Sluice, the runner ({@link ScenarioRunner}) tabulates them for Sluice and HikariCP.
 */
public final class Scenarios {
    /** "Past its deadline" means by more than this: scheduling noise on a loaded 2-core machine, far below the bad case (seconds). */
    static final Duration LATE_SLACK = Duration.ofMillis(100);

    private static final AtomicInteger RUNS = new AtomicInteger();

    private final PoolKind kind;
    private final Target target;
    private final Durations d;

    public Scenarios(PoolKind kind, Target target, Durations durations) {
        this.kind = kind;
        this.target = target;
        this.d = durations;
    }

    private String poolName(String scenario) {
        return ("sc-" + scenario + "-" + kind + "-" + target.kind() + "-" + RUNS.incrementAndGet()).toLowerCase(Locale.ROOT);
    }

    private PoolSettings settings(String scenario) {
        return target.settings(poolName(scenario));
    }

    static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** How an application sees a failure: the pool's classified reason, else the exception type and SQLState. */
    static String describe(Throwable t) {
        if (t == null) {
            return "none";
        }
        var reason = SluiceFailure.reasonOf(t);
        if (reason.isPresent()) {
            return reason.get().name();
        }
        String state = null;
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            if (c instanceof SQLException s && s.getSQLState() != null) {
                state = s.getSQLState();
                break;
            }
        }
        return t.getClass().getSimpleName() + (state != null ? " (SQLState " + state + ")" : "");
    }

    // ================================================================== S1, S1b: start-up

    /**
     * @param millis  how long the constructor took (the cap when it hung)
     * @param hung    the constructor had not returned at the cap and was released by resetting its sockets
     * @param started the constructor succeeded (it should not have)
     * @param error   how the failure was classified
     * @param reason  Sluice's reason, null for other pools
     */
    public record ConstructorResult(long millis, long boundMillis, boolean hung, boolean started, String error, FailureReason reason) {
    }

    private static final Duration STARTUP_CONNECTION_TIMEOUT = Duration.ofSeconds(2);

    /** S1: the database refuses connections at start-up: the constructor must fail within its bound, classified. */
    public ConstructorResult s1DownAtStart() throws InterruptedException {
        target.proxy().refuse();
        try {
            return construct(settings("s1").connectionTimeout(STARTUP_CONNECTION_TIMEOUT));
        } finally {
            target.heal();
        }
    }

    /**
     * S1b: the network accepts the TCP connect and then swallows everything, with the drivers'
     * default timeouts (none set by the user): the constructor must still fail within its bound.
     */
    public ConstructorResult s1bBlackholeAtStart() throws InterruptedException {
        target.proxy().blackhole();
        try {
            return construct(settings("s1b").connectionTimeout(STARTUP_CONNECTION_TIMEOUT));
        } finally {
            target.heal();
        }
    }

    private ConstructorResult construct(PoolSettings s) throws InterruptedException {
        CompletableFuture<ScenarioPool> result = new CompletableFuture<>();
        AtomicLong endNanos = new AtomicLong();
        long start = System.nanoTime();
        Thread t = new Thread(() -> {
            try {
                ScenarioPool p = ScenarioPool.open(kind, s);
                endNanos.set(System.nanoTime());
                result.complete(p);
            } catch (Throwable e) {
                endNanos.set(System.nanoTime());
                result.completeExceptionally(e);
            }
        }, s.name + "-constructor");
        t.setDaemon(true);
        t.start();
        long bound = s.connectionTimeout.toMillis();
        try {
            ScenarioPool p = result.get(d.constructorCap().toMillis(), TimeUnit.MILLISECONDS);
            p.close();
            return new ConstructorResult(millis(endNanos.get() - start), bound, false, true, "none: the pool started", null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return new ConstructorResult(millis(endNanos.get() - start), bound, false, false, describe(cause),
                    SluiceFailure.reasonOf(cause).orElse(null));
        } catch (TimeoutException hung) {
            // Release it: reset the sockets it waits on, then let it fail (or start, and close it).
            target.proxy().resetAll();
            try {
                result.get(10, TimeUnit.SECONDS).close();
            } catch (ExecutionException | TimeoutException ignored) {
                // failed, as expected once its sockets are gone (or still stuck: a daemon thread)
            }
            return new ConstructorResult(d.constructorCap().toMillis(), bound, true, false, "hung", null);
        }
    }

    // ================================================================== S2 + S3: outage under load, recovery

    /**
     * @param baselinePerSecond        completed requests per second before the outage
     * @param completedDuringOutage    requests that succeeded, ended during the outage
     * @param failedDuringOutage       requests that failed, ended during the outage
     * @param failedAcquire            latency of the failed getConnection calls started during the outage
     * @param failedAcquireBreakerOpen the same, for calls started while the breaker was open (Sluice only)
     * @param firstSuccessMillis       from the database's return to the first successful request, null if none
     * @param ninetyPercentMillis      from the return to the end of the first 100 ms window with ≥ 90% of the
     *                                 baseline's completions, null if never within the recovery time
     * @param steadyAfterPerSecond     completed requests per second in the second half of the recovery time
     * @param ninetyOfReferenceMillis  as ninetyPercentMillis, against the lower of the baseline and the rate after
     *                                 recovery: robust to a neighbour taking CPU between before and after
     * @param openAfterRecovery        connections open at the end (Sluice's stats; -1 for other pools)
     */
    public record OutageResult(double baselinePerSecond, long completedDuringOutage, long failedDuringOutage,
            Percentiles failedAcquire, Percentiles failedAcquireBreakerOpen, int breakerOpens, Long firstSuccessMillis,
            Long ninetyPercentMillis, Map<String, Long> failures, Duration outage, String recoverySeries,
            double steadyAfterPerSecond, Long ninetyOfReferenceMillis, int openAfterRecovery) {
    }

    /** Completions in each 100 ms after the restore, as a percentage of the baseline's, for the first second. */
    static String recoverySeries(long[] sortedEnds, long from, double baselinePerSecond) {
        long[] buckets = new long[10];
        for (long e : sortedEnds) {
            int b = (int) ((e - from) / TimeUnit.MILLISECONDS.toNanos(100));
            if (b >= 0 && b < buckets.length) {
                buckets[b]++;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (long b : buckets) {
            sb.append(sb.length() == 0 ? "" : " ").append(Math.round(100.0 * b / (baselinePerSecond / 10))).append('%');
        }
        return sb.toString();
    }

    /**
     * S2 and S3: 8 threads on a pool of 4 (connectionTimeout 5 s); the database goes down (new
     * connects refused, open connections reset) for {@link Durations#outage()}, then comes back.
     */
    public OutageResult s2s3OutageAndRecovery() throws Exception {
        PoolSettings s = settings("s2").size(4, 4).connectionTimeout(Duration.ofSeconds(5));
        try (ScenarioPool pool = ScenarioPool.open(kind, s)) {
            Load load = new Load(s.name, pool.dataSource(), 8, null, Duration.ZERO, Duration.ofMillis(1)).start();
            long loadStart = System.nanoTime();
            sleep(d.warmUp());
            long fault = System.nanoTime();
            target.proxy().refuse();
            target.proxy().resetAll();
            sleep(d.outage());
            long restore = System.nanoTime();
            target.proxy().passThrough();
            sleep(d.recovery());
            long end = System.nanoTime();
            int openAfter = pool.sluice() != null ? pool.sluice().stats().open() : -1;
            stopLoad(load, Duration.ofSeconds(15));
            List<Load.Sample> samples = load.samples();

            double baselinePerSecond = baseline(samples, loadStart + (fault - loadStart) / 2, fault);

            long completed = samples.stream().filter(x -> x.end() >= fault && x.end() < restore && x.outcome() == Load.OK).count();
            long failed = samples.stream().filter(x -> x.end() >= fault && x.end() < restore && x.outcome() != Load.OK).count();
            List<Load.Sample> failedAcq = samples.stream()
                    .filter(x -> x.start() >= fault && x.start() < restore && x.outcome() == Load.ACQUIRE_FAILED).toList();
            Percentiles all = Percentiles.ofNanos(failedAcq.stream().mapToLong(x -> x.acquired() - x.start()).toArray());
            Percentiles whileOpen = Percentiles.ofNanos(failedAcq.stream().filter(x -> pool.breakerOpenAt(x.start()))
                    .mapToLong(x -> x.acquired() - x.start()).toArray());

            long[] okEnds = samples.stream().filter(x -> x.outcome() == Load.OK && x.end() >= restore).mapToLong(Load.Sample::end)
                    .sorted().toArray();
            Long first = okEnds.length == 0 ? null : millis(okEnds[0] - restore);
            Long ninety = ninetyPercent(okEnds, restore, end, baselinePerSecond);
            double steady = baseline(samples, restore + (end - restore) / 2, end);
            Long ninetyOfReference = ninetyPercent(okEnds, restore, end, Math.min(baselinePerSecond, steady));
            return new OutageResult(baselinePerSecond, completed, failed, all, whileOpen, pool.breakerOpens(), first, ninety,
                    load.failureKinds(), d.outage(), recoverySeries(okEnds, restore, baselinePerSecond), steady, ninetyOfReference,
                    openAfter);
        } finally {
            target.heal();
        }
    }

    /**
     * The reference throughput: the median of the completions per 100 ms between {@code from} and
     * {@code until}, per second. The median, so that a GC pause or a neighbour's burst of CPU on a
     * small machine does not move it.
     */
    static double baseline(List<Load.Sample> samples, long from, long until) {
        long bucket = TimeUnit.MILLISECONDS.toNanos(100);
        int n = (int) Math.max(1, (until - from) / bucket);
        long[] counts = new long[n];
        for (Load.Sample x : samples) {
            if (x.outcome() == Load.OK && x.end() >= from) {
                int b = (int) ((x.end() - from) / bucket);
                if (b < n) {
                    counts[b]++;
                }
            }
        }
        java.util.Arrays.sort(counts);
        return counts[n / 2] * 10.0;
    }

    /** End of the first 100 ms window (sliding by 10 ms from {@code from}) holding ≥ 90% of the baseline's completions. */
    static Long ninetyPercent(long[] sortedEnds, long from, long until, double baselinePerSecond) {
        long window = TimeUnit.MILLISECONDS.toNanos(100);
        double needed = 0.9 * baselinePerSecond / 10;
        if (needed <= 0) {
            return null;
        }
        int lo = 0;
        int hi = 0;
        for (long w = from; w + window <= until; w += TimeUnit.MILLISECONDS.toNanos(10)) {
            while (lo < sortedEnds.length && sortedEnds[lo] < w) {
                lo++;
            }
            hi = Math.max(hi, lo);
            while (hi < sortedEnds.length && sortedEnds[hi] < w + window) {
                hi++;
            }
            if (hi - lo >= needed) {
                return millis(w + window - from);
            }
        }
        return null;
    }

    // ================================================================== S4: network blackhole

    /**
     * @param variant        "driver defaults" or "socketTimeout 30 s"
     * @param deadlineMillis the request deadline, and the pool's connectionTimeout
     * @param acquireLate    getConnection calls that returned or failed more than {@link #LATE_SLACK} past the deadline
     * @param worstAcquire   the longest getConnection call
     * @param requestsLate   requests (borrow + query + return) that ended more than {@link #LATE_SLACK} past the deadline
     * @param worstRequest   the longest request
     * @param stuck          threads still blocked 10 s after the fault ended
     */
    public record BlackholeResult(String variant, long deadlineMillis, long requests, long ok, long failed, long acquireLate,
            long worstAcquireMillis, long requestsLate, long worstRequestMillis, boolean stuck, Map<String, Long> failures,
            Duration blackhole) {
    }

    static final Duration S4_DEADLINE = Duration.ofSeconds(1);

    /**
     * S4: 8 threads on a pool of 4, each request under a scoped {@link dev.sluice.Deadline} of 1 s
     * (and connectionTimeout 1 s); the network swallows every byte, of open connections too, for
     * {@link Durations#blackhole()}. With {@code userSocketTimeout}, the driver's socket timeout is
     * set to 30 s, as careful users do; the deadline must still win.
     */
    public BlackholeResult s4Blackhole(boolean userSocketTimeout) throws Exception {
        PoolSettings s = settings(userSocketTimeout ? "s4s" : "s4").size(4, 4).connectionTimeout(S4_DEADLINE);
        String variant = "driver defaults";
        if (userSocketTimeout) {
            String[] kv = target.socketTimeout30s();
            if (kv == null) {
                return null; // the driver has no socket timeout (H2)
            }
            s.property(kv[0], kv[1]);
            variant = "socketTimeout 30 s";
        }
        try (ScenarioPool pool = ScenarioPool.open(kind, s)) {
            Load load = new Load(s.name, pool.dataSource(), 8, S4_DEADLINE, Duration.ZERO, Duration.ofMillis(1)).start();
            sleep(Duration.ofSeconds(1));
            target.proxy().blackhole();
            sleep(d.blackhole());
            target.proxy().passThrough();
            sleep(Duration.ofSeconds(1));
            boolean stuck = !stopLoad(load, Duration.ofSeconds(10));
            List<Load.Sample> samples = load.samples();
            long deadline = S4_DEADLINE.toNanos();
            long slack = LATE_SLACK.toNanos();
            long acquireLate = samples.stream().filter(x -> x.acquired() - x.start() > deadline + slack).count();
            long worstAcquire = samples.stream().mapToLong(x -> x.acquired() - x.start()).max().orElse(0);
            long requestsLate = samples.stream().filter(x -> x.end() - x.start() > deadline + slack).count();
            long worstRequest = samples.stream().mapToLong(x -> x.end() - x.start()).max().orElse(0);
            long ok = samples.stream().filter(x -> x.outcome() == Load.OK).count();
            return new BlackholeResult(variant, S4_DEADLINE.toMillis(), samples.size(), ok, samples.size() - ok, acquireLate,
                    millis(worstAcquire), requestsLate, millis(worstRequest), stuck, load.failureKinds(), d.blackhole());
        } finally {
            target.heal();
        }
    }

    // ================================================================== S5, S5h, S6: stale connections

    /**
     * @param errors            application-visible errors in {@code calls} borrow-and-query calls
     * @param firstError        the first of them
     * @param lastUseToCallsMs  S5h: from the connections' last use to the first call (must be inside the 500 ms bypass window)
     * @param skipped           why the scenario does not apply to this database, or null
     */
    public record ErrorsResult(int calls, int errors, String firstError, long lastUseToCallsMs, String skipped) {
        static ErrorsResult skip(String why) {
            return new ErrorsResult(0, 0, null, -1, why);
        }
    }

    private static final int CALLS = 50;

    /** S5: every backend is killed on the server while the pool is idle; then 50 borrow-and-query calls. */
    public ErrorsResult s5KilledWhileIdle() throws Exception {
        PoolSettings s = settings("s5").size(4, 4);
        try (ScenarioPool pool = ScenarioPool.open(kind, s)) {
            List<Long> ids = target.useAll(pool.dataSource(), 4);
            sleep(Duration.ofSeconds(1)); // idle, well past both pools' 500 ms validation bypass
            target.killAll(ids);
            return calls(pool.dataSource(), -1);
        } finally {
            target.heal();
        }
    }

    /**
     * S5h: the same, but the connections were last used a few milliseconds before the kill, inside
     * the window in which both pools hand a recently used connection out without validating it.
     */
    public ErrorsResult s5hKilledRightAfterUse() throws Exception {
        PoolSettings s = settings("s5h").size(4, 4);
        try (ScenarioPool pool = ScenarioPool.open(kind, s)) {
            List<Long> ids = target.useAll(pool.dataSource(), 4); // all four at once: every connection of the pool
            long lastUse = System.nanoTime();
            target.killAll(ids);
            return calls(pool.dataSource(), lastUse);
        } finally {
            target.heal();
        }
    }

    /**
     * S6: the server ends sessions idle for 1 s (PostgreSQL {@code idle_session_timeout}, MariaDB
     * {@code wait_timeout}, set per session by connectionInitSql); the pool's connections sit idle
     * for 2.5 s; then 50 borrow-and-query calls.
     */
    public ErrorsResult s6ServerIdleTimeout() throws Exception {
        String sql = target.shortServerIdleTimeoutSql();
        if (sql == null) {
            return ErrorsResult.skip("H2 has no server-side idle timeout for TCP sessions");
        }
        PoolSettings s = settings("s6").size(4, 4).connectionInitSql(sql);
        try (ScenarioPool pool = ScenarioPool.open(kind, s)) {
            target.useAll(pool.dataSource(), 4);
            sleep(Duration.ofMillis(2500));
            return calls(pool.dataSource(), -1);
        } finally {
            target.heal();
        }
    }

    private static ErrorsResult calls(DataSource ds, long lastUseNanos) {
        long first = System.nanoTime();
        int errors = 0;
        String firstError = null;
        for (int i = 0; i < CALLS; i++) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet r = st.executeQuery("select 1")) {
                r.next();
            } catch (SQLException e) {
                errors++;
                if (firstError == null) {
                    firstError = describe(e) + ": " + abbreviate(e.getMessage());
                }
            }
        }
        return new ErrorsResult(CALLS, errors, firstError, lastUseNanos < 0 ? -1 : millis(first - lastUseNanos), null);
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String one = s.replace('\n', ' ');
        return one.length() > 160 ? one.substring(0, 157) + "..." : one;
    }

    // ================================================================== S7: lifetime storm

    /**
     * @param maxRetiredWithinOneSecond the most physical closes within any one second
     * @param minOpen                   the fewest physical connections open right after any close
     * @param firstRetirementSec        when the first original connection closed, seconds after the pool was full
     * @param lastRetirementSec         when the last one did
     */
    public record LifetimeResult(Duration maxLifetime, int poolSize, int originalsRetired, int maxRetiredWithinOneSecond,
            int minOpen, long requests, long errors, double firstRetirementSec, double lastRetirementSec, String closeTimes,
            String closedByReason) {
    }

    /**
     * S7: 8 connections opened together, with a short maxLifetime, under full load (8 threads
     * without pause, so a connection is usually borrowed when its lifetime ends): they must be
     * retired spread out (at most a quarter of the pool, 2, within any second) and the pool must not
     * fall below minimumIdle (8) while replacing them. Observed on the physical connections, through
     * a tracking data source, for any pool.
     */
    public LifetimeResult s7LifetimeStorm() throws Exception {
        TrackingDataSource tracking = new TrackingDataSource(target.url(), target.db().user(), target.db().password());
        PoolSettings s = settings("s7").size(8, 8).dataSource(tracking).maxLifetime(d.maxLifetime());
        try (ScenarioPool pool = ScenarioPool.open(kind, s)) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (tracking.connections().size() < 8 && System.nanoTime() - until < 0) {
                Thread.sleep(5);
            }
            long full = System.nanoTime();
            tracking.markMinimum();
            List<TrackingDataSource.Physical> originals = tracking.connections().subList(0, Math.min(8, tracking.connections().size()));
            Load load = new Load(s.name, pool.dataSource(), 8, null, Duration.ZERO, Duration.ofMillis(1)).start();
            long cap = full + d.maxLifetime().toNanos() + TimeUnit.SECONDS.toNanos(15);
            while (originals.stream().anyMatch(p -> p.closedNanos == 0) && System.nanoTime() - cap < 0) {
                Thread.sleep(20);
            }
            sleep(Duration.ofMillis(500)); // let the last replacement settle
            stopLoad(load, Duration.ofSeconds(10));
            String reasons = pool.sluice() != null ? pool.sluice().stats().closedByReason().toString() : "";
            int minOpen = tracking.minOpenSinceMark();
            List<Long> closes = new ArrayList<>();
            for (TrackingDataSource.Physical p : tracking.connections()) {
                if (p.closedNanos != 0) {
                    closes.add(p.closedNanos);
                }
            }
            closes.sort(null);
            int maxInSecond = 0;
            for (int i = 0, j = 0; i < closes.size(); i++) {
                while (closes.get(i) - closes.get(j) >= TimeUnit.SECONDS.toNanos(1)) {
                    j++;
                }
                maxInSecond = Math.max(maxInSecond, i - j + 1);
            }
            int retired = (int) originals.stream().filter(p -> p.closedNanos != 0).count();
            double firstSec = originals.stream().filter(p -> p.closedNanos != 0).mapToLong(p -> p.closedNanos - full).min().orElse(-1) / 1e9;
            double lastSec = originals.stream().filter(p -> p.closedNanos != 0).mapToLong(p -> p.closedNanos - full).max().orElse(-1) / 1e9;
            List<Load.Sample> samples = load.samples();
            long errors = samples.stream().filter(x -> x.outcome() != Load.OK).count();
            StringBuilder times = new StringBuilder();
            for (long c : closes) {
                times.append(times.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", (c - full) / 1e9));
            }
            return new LifetimeResult(d.maxLifetime(), 8, retired, maxInSecond, minOpen, samples.size(), errors, firstSec, lastSec,
                    times.toString(), reasons);
        } finally {
            target.heal();
        }
    }

    // ================================================================== S8: slow connect under a burst

    /**
     * @param late               callers whose getConnection returned or failed more than {@link #LATE_SLACK} past the deadline
     * @param maxConnectsInFlight the most driver connects running at once (ChaosDriver's counter)
     */
    public record SlowConnectResult(int callers, int served, int failed, long deadlineMillis, long late, long worstMillis,
            int maxConnectsInFlight) {
    }

    static final Duration S8_CONNECT_DELAY = Duration.ofSeconds(2);
    static final Duration S8_DEADLINE = Duration.ofSeconds(3);

    /**
     * S8: every connect takes 2 s (ChaosDriver {@code connectDelay}, over the proxy); a cold pool of
     * 8 (minimumIdle 0, connectionTimeout 3 s) gets a burst of 16 callers at once, each holding its
     * connection 20 ms. No caller may wait past its deadline, and the pool must not run more
     * connects at once than its bound (Sluice: maxConcurrentCreates, default 2).
     */
    public SlowConnectResult s8SlowConnectBurst() throws Exception {
        String chaosName = poolName("s8");
        Chaos chaos = ChaosDriver.control(chaosName);
        chaos.reset();
        chaos.resetCounters();
        String url = ChaosDriver.url(target.url(), "name=" + chaosName, "connectDelay=" + S8_CONNECT_DELAY.toMillis() + "ms");
        PoolSettings s = settings("s8").jdbcUrl(url).size(8, 0).connectionTimeout(S8_DEADLINE).startupCheck(false);
        int callers = 16;
        try (ScenarioPool pool = ScenarioPool.open(kind, s)) {
            CountDownLatch go = new CountDownLatch(1);
            long[] latency = new long[callers];
            boolean[] served = new boolean[callers];
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                int n = i;
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    long start = System.nanoTime();
                    try (Connection c = pool.dataSource().getConnection()) {
                        latency[n] = System.nanoTime() - start;
                        try (Statement st = c.createStatement(); ResultSet r = st.executeQuery("select 1")) {
                            r.next();
                        }
                        Thread.sleep(20);
                        served[n] = true;
                    } catch (SQLException | InterruptedException e) {
                        if (latency[n] == 0) {
                            latency[n] = System.nanoTime() - start;
                        }
                    }
                }, s.name + "-caller-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            go.countDown();
            for (Thread t : threads) {
                t.join(S8_DEADLINE.toMillis() + 10_000);
            }
            int ok = 0;
            long late = 0;
            long worst = 0;
            for (int i = 0; i < callers; i++) {
                ok += served[i] ? 1 : 0;
                late += latency[i] > S8_DEADLINE.toNanos() + LATE_SLACK.toNanos() ? 1 : 0;
                worst = Math.max(worst, latency[i]);
            }
            return new SlowConnectResult(callers, ok, callers - ok, S8_DEADLINE.toMillis(), late, millis(worst),
                    chaos.maxConnectsInFlight());
        } finally {
            chaos.reset();
            target.heal();
        }
    }

    // ================================================================== helpers

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    /**
     * Stops a load; if some of its threads are still blocked (a query hung on a dead network that
     * the pool did not bound), their sockets are reset so the scenario ends. Returns whether they
     * all ended on their own within {@code bound}.
     */
    private boolean stopLoad(Load load, Duration bound) throws InterruptedException {
        if (load.stop(bound)) {
            return true;
        }
        target.proxy().resetAll();
        load.stop(Duration.ofSeconds(10));
        return false;
    }
}
