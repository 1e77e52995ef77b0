package dev.sluice.cli;

import dev.sluice.PoolHealth.Status;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.management.Attribute;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * One pool's figures as its MXBean gave them at one moment, read in one round trip, and how
 * {@code sluice patrol} shows them: one row per pool per reading, the way {@code top} does.
 *
 * <p>A figure the pool's MXBean does not have (an older Sluice) reads as -1 and shows as "-";
 * a pool without the health rule has no status, so {@code --fail-on} cannot stop at it.
 */
record PoolReading(String name, Status status, List<String> reasons, int open, int inUse, int idle, int waiting,
        long timeouts, double acquireP99Millis) {

    private static final String[] ATTRIBUTES = {"PoolName", "HealthStatus", "HealthReasons", "TotalConnections",
        "ActiveConnections", "IdleConnections", "PendingThreads", "AcquireTimeouts", "AcquireP99Millis"};
    /** Widths of the columns after the pool's name; the header and every row share them. */
    private static final String ROW = "%-10s %5s %7s %5s %8s %9s %12s";

    PoolReading {
        reasons = List.copyOf(reasons);
    }

    static PoolReading read(JmxTarget target, ObjectName pool) throws IOException, JMException, CannotPatrol {
        Map<String, Object> values = new HashMap<>();
        for (Attribute a : target.answer(s -> s.getAttributes(pool, ATTRIBUTES)).asList()) {
            values.put(a.getName(), a.getValue());
        }
        String name = values.get("PoolName") instanceof String s ? s : pool.getKeyProperty("name");
        Object reasons = values.get("HealthReasons");
        return new PoolReading(name, status(values.get("HealthStatus")),
                reasons instanceof String[] r ? List.of(r) : List.of(),
                intOf(values, "TotalConnections"), intOf(values, "ActiveConnections"), intOf(values, "IdleConnections"),
                intOf(values, "PendingThreads"), longOf(values, "AcquireTimeouts"),
                values.get("AcquireP99Millis") instanceof Double d ? d : -1);
    }

    /** The header over {@link #row(int)}s whose pool column is {@code nameWidth} wide. */
    static String header(int nameWidth) {
        return String.format(Locale.ROOT, "%-8s  %-" + nameWidth + "s  " + ROW, "time", "pool", "status", "open", "in use",
                "idle", "waiting", "timeouts", "p99 acquire");
    }

    /** The figures as one row under {@link #header(int)}, after the time column. */
    String row(int nameWidth) {
        return String.format(Locale.ROOT, "%-" + nameWidth + "s  " + ROW, name, status == null ? "-" : status.name(),
                figure(open), figure(inUse), figure(idle), figure(waiting), figure(timeouts), acquireP99());
    }

    private String acquireP99() {
        return acquireP99Millis < 0 ? "-" : DurationText.format(Duration.ofNanos(Math.round(acquireP99Millis * 1e6)));
    }

    private static String figure(long value) {
        return value < 0 ? "-" : Long.toString(value);
    }

    private static Status status(Object value) {
        if (value instanceof String s) {
            try {
                return Status.valueOf(s);
            } catch (IllegalArgumentException newerThanThisCli) {
                return null;
            }
        }
        return null;
    }

    private static int intOf(Map<String, Object> values, String attribute) {
        return values.get(attribute) instanceof Integer i ? i : -1;
    }

    private static long longOf(Map<String, Object> values, String attribute) {
        return values.get(attribute) instanceof Long l ? l : -1;
    }
}
