package dev.sluice.internal;

import dev.sluice.FailureReason;
import dev.sluice.NestedAcquisition;
import dev.sluice.SluiceFailure;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spots the nested-acquisition deadlock pattern: a thread that holds one of the pool's
 * connections and waits for a second. It looks only when a caller is about to wait, on the slow
 * path, so the fast path pays nothing but the one plain write of {@link PooledConnection#borrower}
 * per borrow; it warns once per call site (a hot loop would flood the log) or, with
 * nestedAcquisition=FAIL, fails the second borrow.
 */
final class NestedAcquisitionDetector {
    /** Call sites remembered at most: the set must not grow without bound with generated code. */
    private static final int MAX_WARNED_SITES = 1000;

    private final Pool pool;
    private final NestedAcquisition mode;
    /** Nested-acquisition warnings already given, by call site. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    NestedAcquisitionDetector(Pool pool) {
        this.pool = pool;
        this.mode = pool.config.nestedAcquisition();
    }

    /** The calling thread is about to wait for a connection. */
    void check() throws SQLException {
        if (mode == NestedAcquisition.ALLOW) {
            return;
        }
        Thread me = Thread.currentThread();
        PooledConnection held = null;
        for (PooledConnection c : pool.bag.snapshot()) {
            if (c.borrower == me && c.state() == PooledConnection.IN_USE) {
                held = c;
                break;
            }
        }
        if (held == null) {
            return;
        }
        pool.metrics.nestedAcquisitions.increment();
        Throwable requestSite = new Throwable("second borrow requested here");
        Throwable heldSite = BorrowSite.asThrowable(held.borrowSite());
        pool.events.nested(me.getName(), heldSite, requestSite);
        String first = heldSite == null ? "unknown (set leakDetectionThreshold to record borrow sites)" : frame(heldSite);
        String second = frame(requestSite);
        String message = pool.name + ": thread " + me.getName() + " already holds a connection (borrowed at " + first
                + ") and asks for another (at " + second + ") with none idle: with a pool of " + pool.maximumPoolSize
                + " this deadlocks once enough threads do it";
        if (mode == NestedAcquisition.FAIL) {
            throw SluiceFailure.of(FailureReason.NESTED_ACQUISITION, pool.name, message + " (nestedAcquisition=FAIL)", requestSite);
        }
        if (warned.size() < MAX_WARNED_SITES && warned.add(second)) {
            requestSite.addSuppressed(heldSite != null ? heldSite : new Throwable("first borrow site not recorded"));
            pool.events.nestedWarning(message, requestSite);
        }
    }

    /** The first frame outside Sluice and the JDK: where the application asked. */
    private static String frame(Throwable site) {
        for (StackTraceElement f : site.getStackTrace()) {
            String c = f.getClassName();
            if (!c.startsWith("dev.sluice.internal.") && !c.equals("dev.sluice.SluiceDataSource") && !c.startsWith("java.")
                    && !c.startsWith("jdk.") && !c.startsWith("sun.")) {
                return f.toString();
            }
        }
        StackTraceElement[] st = site.getStackTrace();
        return st.length > 0 ? st[st.length - 1].toString() : "?";
    }
}
