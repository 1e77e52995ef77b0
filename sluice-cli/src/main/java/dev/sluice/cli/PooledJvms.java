package dev.sluice.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Which local JVMs have Sluice pools, for {@code sluice patrol} without a pid. Only asking a JVM
 * tells, so each is attached to; in parallel and within a bound, because a JVM busy collecting
 * garbage or shutting down may take seconds to answer, and one that does not answer in time is
 * left out rather than holding up the list.
 */
final class PooledJvms {
    /** A JVM and the names of its pools. */
    record Entry(LocalJvms.Jvm jvm, List<String> pools) {
    }

    private static final long ANSWER_WITHIN_SECONDS = 10;

    private PooledJvms() {
    }

    /** The {@code candidates} that have at least one pool, in the order given. */
    static List<Entry> among(List<LocalJvms.Jvm> candidates) throws InterruptedException {
        if (candidates.isEmpty()) {
            return List.of();
        }
        ExecutorService asking = Executors.newFixedThreadPool(Math.min(8, candidates.size()), r -> {
            Thread t = new Thread(r, "sluice-patrol-list");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Entry>> answers = new ArrayList<>();
            for (LocalJvms.Jvm jvm : candidates) {
                answers.add(asking.submit(() -> poolsOf(jvm)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ANSWER_WITHIN_SECONDS);
            List<Entry> found = new ArrayList<>();
            for (Future<Entry> answer : answers) {
                try {
                    Entry e = answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (!e.pools().isEmpty()) {
                        found.add(e);
                    }
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException skipped) {
                    // Refused, gone, or too slow to answer: not a JVM to list.
                }
            }
            return found;
        } finally {
            asking.shutdownNow();
        }
    }

    private static Entry poolsOf(LocalJvms.Jvm jvm) throws CannotPatrol, IOException {
        try (JmxTarget target = JmxTarget.attach(jvm.pid())) {
            List<String> pools = target.pools().stream().map(PoolPatrol::poolName).collect(Collectors.toList());
            return new Entry(jvm, pools);
        }
    }

    /** The entries as a table like {@code jps -l}'s, with a header. */
    static String table(List<Entry> entries) {
        int poolsWidth = "POOLS".length();
        for (Entry e : entries) {
            poolsWidth = Math.max(poolsWidth, String.join(",", e.pools()).length());
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-8s %-" + poolsWidth + "s  %s%n", "PID", "POOLS", "COMMAND"));
        for (Entry e : entries) {
            b.append(String.format(Locale.ROOT, "%-8d %-" + poolsWidth + "s  %s%n", e.jvm().pid(), String.join(",", e.pools()),
                    JmxTarget.shortCommand(e.jvm().command())));
        }
        return b.toString();
    }
}
