package dev.sluice.cli;

import dev.sluice.PoolHealth.Status;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The patrol itself: reads every Sluice pool of one JVM at a fixed interval, prints a row per pool,
 * and stops at the first pool whose health status is one it was told to fail on. The health rule
 * is the pool's own ({@code HealthStatus} on its MXBean, judged over the pool's sliding window), so
 * the patrol and the application's metrics never disagree.
 *
 * <p>Pools are looked up again at every reading: a pool started after the patrol began is
 * patrolled from its first reading, and one that closes is reported once and dropped.
 */
final class PoolPatrol {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final String REASON_INDENT = "            ";

    private final JmxTarget target;
    private final Duration interval;
    private final Integer count;
    private final Duration duration;
    private final Set<Status> failOn;
    private final PrintWriter out;
    /** The status each pool had at its last reading, to print reasons when it changes. */
    private final Map<ObjectName, Status> lastStatus = new HashMap<>();
    private int readings;

    /**
     * @param count    readings to take, or null for no limit
     * @param duration how long to patrol, or null for no limit; the last reading is at its end
     * @param failOn   the statuses to stop at; empty to only watch
     */
    PoolPatrol(JmxTarget target, Duration interval, Integer count, Duration duration, Set<Status> failOn, PrintWriter out) {
        this.target = target;
        this.interval = interval;
        this.count = count;
        this.duration = duration;
        this.failOn = Set.copyOf(failOn);
        this.out = out;
    }

    /** Patrols until the count or duration is reached; returns the reading that failed, if one did. */
    Optional<PoolReading> run() throws CannotPatrol, InterruptedException {
        List<ObjectName> pools = pools();
        if (pools.isEmpty()) {
            throw new CannotPatrol("no Sluice pool in " + target.description()
                    + " (a pool registers its MXBean only with registerMbeans=true)");
        }
        // From here: the first query of a fresh connection is slow, and must not shorten the first interval.
        long start = System.nanoTime();
        int nameWidth = "pool".length();
        for (ObjectName pool : pools) {
            nameWidth = Math.max(nameWidth, poolName(pool).length());
        }
        out.println(PoolReading.header(nameWidth));
        for (int k = 1;; k++) {
            Optional<PoolReading> failed = readAll(pools, nameWidth);
            readings++;
            if (failed.isPresent()) {
                return failed;
            }
            long elapsed = System.nanoTime() - start;
            if (count != null && readings >= count || duration != null && elapsed >= duration.toNanos()) {
                return Optional.empty();
            }
            long next = k * interval.toNanos();
            if (duration != null) {
                next = Math.min(next, duration.toNanos());
            }
            TimeUnit.NANOSECONDS.sleep(Math.max(0, next - (System.nanoTime() - start)));
            pools = pools();
            if (pools.isEmpty()) {
                throw new CannotPatrol("no Sluice pool left in " + target.description() + ": every pool closed");
            }
        }
    }

    /** Readings taken so far. */
    int readings() {
        return readings;
    }

    private Optional<PoolReading> readAll(List<ObjectName> pools, int nameWidth) throws CannotPatrol {
        String now = LocalTime.now().format(CLOCK);
        PoolReading failed = null;
        for (ObjectName pool : pools) {
            PoolReading r;
            try {
                r = PoolReading.read(target, pool);
            } catch (InstanceNotFoundException closedMeanwhile) {
                out.println(now + "  " + poolName(pool) + " closed");
                lastStatus.remove(pool);
                continue;
            } catch (IOException e) {
                throw lost(e);
            } catch (JMException e) {
                throw new CannotPatrol("could not read pool " + poolName(pool) + " in " + target.description()
                        + ": " + JmxTarget.rootMessage(e), e);
            }
            out.println(now + "  " + r.row(nameWidth));
            Status before = lastStatus.put(pool, r.status());
            if (r.status() != null && r.status() != Status.HEALTHY && r.status() != before) {
                for (String reason : r.reasons()) {
                    out.println(REASON_INDENT + reason);
                }
            }
            if (failed == null && r.status() != null && failOn.contains(r.status())) {
                failed = r;
            }
        }
        out.flush();
        return Optional.ofNullable(failed);
    }

    private List<ObjectName> pools() throws CannotPatrol {
        try {
            List<ObjectName> now = new ArrayList<>(target.pools());
            for (ObjectName gone : new ArrayList<>(lastStatus.keySet())) {
                if (!now.contains(gone)) {
                    out.println(LocalTime.now().format(CLOCK) + "  " + poolName(gone) + " closed");
                    lastStatus.remove(gone);
                }
            }
            return now;
        } catch (IOException e) {
            throw lost(e);
        }
    }

    /** The pool's name as it registered it: the ObjectName holds it quoted. */
    static String poolName(ObjectName pool) {
        String quoted = String.valueOf(pool.getKeyProperty("name"));
        try {
            return ObjectName.unquote(quoted);
        } catch (IllegalArgumentException notQuoted) {
            return quoted;
        }
    }

    private CannotPatrol lost(IOException e) {
        if (target.exited()) {
            return new CannotPatrol(target.description() + " exited after " + readings + " reading"
                    + (readings == 1 ? "" : "s"), e);
        }
        return new CannotPatrol("lost the connection to " + target.description() + ": " + JmxTarget.rootMessage(e), e);
    }
}
