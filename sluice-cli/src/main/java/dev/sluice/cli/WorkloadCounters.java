package dev.sluice.cli;

import dev.sluice.FailureReason;
import dev.sluice.SluiceFailure;
import java.sql.SQLException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the workload did, counted from many worker threads at once: successful operations by
 * kind, and failures by cause. A pool failure is counted under its {@link FailureReason} (the
 * pool's own classification, which is what the demo is about); any other database error under
 * its SQLState, so a lock timeout is not mistaken for a pool problem.
 */
final class WorkloadCounters {
    /** The two things the workload does. */
    enum Kind {
        READ("read"), TRANSFER("transfer");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    private final Map<Kind, LongAdder> completed = new EnumMap<>(Kind.class);
    private final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> firstMessage = new ConcurrentHashMap<>();

    WorkloadCounters() {
        for (Kind k : Kind.values()) {
            completed.put(k, new LongAdder());
        }
    }

    void completed(Kind kind) {
        completed.get(kind).increment();
    }

    void failed(Throwable t) {
        String cause = causeOf(t);
        errors.computeIfAbsent(cause, c -> new LongAdder()).increment();
        firstMessage.putIfAbsent(cause, String.valueOf(t.getMessage()));
    }

    /** The label a failure is counted under: a FailureReason name, {@code SQLSTATE xxxxx}, or the exception type. */
    static String causeOf(Throwable t) {
        return SluiceFailure.reasonOf(t).map(Enum::name).orElseGet(() -> {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return "SQLSTATE " + s.getSQLState();
            }
            return t.getClass().getSimpleName();
        });
    }

    Snapshot snapshot() {
        Map<Kind, Long> done = new EnumMap<>(Kind.class);
        completed.forEach((k, n) -> done.put(k, n.sum()));
        Map<String, Long> failed = new TreeMap<>();
        errors.forEach((cause, n) -> failed.put(cause, n.sum()));
        return new Snapshot(Collections.unmodifiableMap(done), Collections.unmodifiableMap(failed),
                Collections.unmodifiableMap(new TreeMap<>(firstMessage)));
    }

    /**
     * Totals at one moment.
     *
     * @param completed     successful operations by kind
     * @param errors        failed operations by cause, sorted by cause
     * @param firstMessages the first message seen for each cause, to show what it looked like
     */
    record Snapshot(Map<Kind, Long> completed, Map<String, Long> errors, Map<String, String> firstMessages) {
        long operations() {
            return completed.values().stream().mapToLong(Long::longValue).sum();
        }

        long completed(Kind kind) {
            return completed.getOrDefault(kind, 0L);
        }

        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
