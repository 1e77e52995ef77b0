package dev.sluice.console;

import dev.sluice.BreakerState;
import dev.sluice.HeldConnection;
import dev.sluice.JdbcUrls;
import dev.sluice.LatencySummary;
import dev.sluice.LeakReport;
import dev.sluice.PoolHealth;
import dev.sluice.PoolListener;
import dev.sluice.PoolStats;
import dev.sluice.SizingDecision;
import dev.sluice.SluiceDataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What the console knows about one pool: it listens to the pool (leaks, breaker, sizing, as they
 * happen) and samples it once a second into a {@link HistoryRing}. Only events the pool raises
 * rarely are kept, each list bounded. It does not observe borrows, so attaching the console leaves
 * the borrow path as it was: the pool keeps timing a sample of borrows rather than every one, and
 * calls no listener per borrow.
 */
final class PoolWatch implements PoolListener {
    static final int MAX_EVENTS = 50;
    static final int MAX_FRAMES = 40;
    static final int MAX_HELD = 25;

    final SluiceDataSource ds;
    final String name;
    final HistoryRing history = new HistoryRing();
    private final Deque<String> leaks = new ArrayDeque<>();
    private final Deque<String> breaker = new ArrayDeque<>();
    private PoolStats previous;

    PoolWatch(SluiceDataSource ds) {
        this.ds = ds;
        this.name = ds.poolName();
    }

    @Override
    public boolean observesBorrows() {
        return false;
    }

    @Override
    public void leakSuspected(LeakReport report) {
        leak("suspected", report, report.heldFor());
    }

    @Override
    public void leakResolved(LeakReport report, Duration heldFor) {
        leak("returned late", report, heldFor);
    }

    @Override
    public void connectionAbandoned(LeakReport report) {
        leak("abandoned", report, report.heldFor());
    }

    private void leak(String kind, LeakReport report, Duration heldFor) {
        Json j = new Json().object().field("at", Instant.now().toString()).field("kind", kind)
                .field("thread", report.threadName()).field("heldMs", heldFor.toMillis());
        if (report.context() != null) {
            j.field("context", clip(JdbcUrls.redact(String.valueOf(report.context())), 200));
        }
        frames(j, report.borrowSite());
        add(leaks, j.end().toString());
    }

    @Override
    public void breakerStateChanged(String poolName, BreakerState from, BreakerState to, Throwable lastFailure) {
        Json j = new Json().object().field("at", Instant.now().toString()).field("from", from.name()).field("to", to.name());
        if (lastFailure != null) {
            // Driver messages may quote the URL: shown only as the pool's own redaction leaves them.
            j.field("failure", clip(JdbcUrls.redact(lastFailure.getClass().getSimpleName() + ": " + lastFailure.getMessage()), 300));
        }
        add(breaker, j.end().toString());
    }

    private static void add(Deque<String> list, String item) {
        synchronized (list) {
            list.addLast(item);
            while (list.size() > MAX_EVENTS) {
                list.removeFirst();
            }
        }
    }

    private static List<String> copy(Deque<String> list) {
        synchronized (list) {
            return new ArrayList<>(list);
        }
    }

    /** Takes this second's sample and returns the pool's live document (without history). */
    String sample(long epochSecond) {
        PoolStats s = ds.stats();
        PoolStats p = previous;
        previous = s;
        int acquireUs = meanMicros(p == null ? null : p.acquireLatency(), s.acquireLatency());
        int holdUs = meanMicros(p == null ? null : p.holdLatency(), s.holdLatency());
        int createUs = meanMicros(p == null ? null : p.createLatency(), s.createLatency());
        history.add(epochSecond, s.open(), s.inUse(), s.idle(), s.pending(), acquireUs, holdUs, createUs);
        Json j = new Json().object().field("name", name).field("second", epochSecond);
        j.name("means").object().field("acquireUs", acquireUs).field("holdUs", holdUs).field("createUs", createUs).end();
        return document(j, s);
    }

    /** Mean over the last second from two cumulative summaries, in µs; -1 when nothing was measured in it. */
    static int meanMicros(LatencySummary before, LatencySummary now) {
        long n0 = before == null ? 0 : before.count();
        double total0 = before == null ? 0 : before.count() * (double) before.mean().toNanos();
        long n = now.count() - n0;
        if (n <= 0) {
            return -1;
        }
        double total = now.count() * (double) now.mean().toNanos() - total0;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, total / n / 1000));
    }

    private String document(Json j, PoolStats s) {
        j.name("now").object().field("max", s.maximumPoolSize()).field("minIdle", s.minimumIdle())
                .field("open", s.open()).field("inUse", s.inUse()).field("idle", s.idle()).field("pending", s.pending())
                .field("creating", s.creating()).field("acquired", s.acquired()).field("waits", s.waitCount())
                .field("timeouts", s.acquireTimeouts()).field("created", s.created()).field("createFailures", s.createFailures())
                .field("closed", s.closed()).field("leaks", s.leaksSuspected()).field("abandoned", s.abandoned())
                .field("breaker", s.breakerState().name()).field("breakerOpens", s.breakerOpens())
                .field("breakerRejections", s.breakerRejections()).field("suspended", ds.isSuspended()).end();
        j.name("latency").object();
        latency(j, "acquire", s.acquireLatency());
        latency(j, "hold", s.holdLatency());
        latency(j, "create", s.createLatency());
        j.end();
        PoolHealth h = ds.health();
        j.name("health").object().field("status", h.status().name()).name("reasons").array();
        h.reasons().forEach(j::value);
        j.endArray().end();
        j.name("held").array();
        List<HeldConnection> held = ds.heldConnections();
        for (HeldConnection c : held.subList(0, Math.min(MAX_HELD, held.size()))) {
            j.object().field("id", c.connectionId()).field("thread", c.threadName())
                    .field("heldMs", c.heldFor() == null ? -1 : c.heldFor().toMillis());
            frames(j, c.borrowSite());
            j.end();
        }
        j.endArray().field("heldTotal", held.size());
        j.name("leaks").array();
        copy(leaks).forEach(j::raw);
        j.endArray().name("breakerLog").array();
        copy(breaker).forEach(j::raw);
        j.endArray().name("sizing").array();
        List<SizingDecision> decisions = s.sizingDecisions();
        for (SizingDecision d : decisions.subList(Math.max(0, decisions.size() - MAX_EVENTS), decisions.size())) {
            j.object().field("at", d.at().toString()).field("action", d.action().name()).field("from", d.fromSize())
                    .field("to", d.toSize()).field("applied", d.applied()).field("reason", d.reason()).end();
        }
        return j.endArray().end().toString();
    }

    private static void latency(Json j, String name, LatencySummary l) {
        j.name(name).object().field("count", l.count()).field("meanUs", l.mean().toNanos() / 1000)
                .field("p50Us", l.p50().toNanos() / 1000).field("p90Us", l.p90().toNanos() / 1000)
                .field("p99Us", l.p99().toNanos() / 1000).field("maxUs", l.max().toNanos() / 1000).end();
    }

    /** The borrower's stack as "class.method(File:line)" lines; absent when leak detection did not record it. */
    private static void frames(Json j, Throwable site) {
        if (site == null) {
            return;
        }
        j.name("stack").array();
        StackTraceElement[] frames = site.getStackTrace();
        for (int i = 0; i < Math.min(MAX_FRAMES, frames.length); i++) {
            j.value(frames[i].toString());
        }
        j.endArray();
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
