package dev.sluice.internal;

import dev.sluice.BreakerState;
import dev.sluice.CloseReason;
import dev.sluice.FailureReason;
import dev.sluice.SizingDecision;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceFailure;
import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The default listener: writes the pool's events to the {@code dev.sluice.Pool} System.Logger, so
 * nothing the pool does is silent even with no listener registered. It is reached only through
 * {@link PoolEvents}, the one place where events leave the pool, and is not one of the
 * registered listeners, so the hot-path events (acquired, returned) stay free when nobody listens.
 *
 * <p>The texts and levels are API: operators and tests search for them. Messages at INFO and
 * below are built only when their level is enabled.
 */
final class PoolLog {
    private static final System.Logger LOG = System.getLogger("dev.sluice.Pool");

    private final String name;

    PoolLog(String poolName) {
        this.name = poolName;
    }

    // ---------------------------------------------------------------- life cycle and control

    /**
     * INFO, as HikariCP's "Start completed": operators look for the pool's name at the default
     * level. The knobs set explicitly come along (the password hidden), so the one line answers
     * "what did we configure?"; then, once, what was derived from them and what was ignored.
     */
    void started(SluiceConfig config, String target, int maximumPoolSize, int minimumIdle, int open) {
        LOG.log(Level.INFO, () -> name + " - started: " + (config.jdbcUrl() != null ? "url=" + Redaction.url(config.jdbcUrl())
                : "dataSource=" + target) + ", maximumPoolSize=" + maximumPoolSize + ", minimumIdle=" + minimumIdle
                + ", open=" + open + ", set=" + setBesidesUrl(config));
        if (!config.derivations().isEmpty()) {
            LOG.log(Level.INFO, () -> name + " - derived from the knobs set: " + String.join("; ", config.derivations().values()));
        }
        if (!config.inertProperties().isEmpty()) {
            LOG.log(Level.INFO, () -> name + " - HikariCP properties accepted without effect in Sluice: " + config.inertProperties());
        }
    }

    private static Map<String, String> setBesidesUrl(SluiceConfig config) {
        Map<String, String> set = new LinkedHashMap<>(config.explicitSettings());
        set.remove("jdbcUrl"); // the start line shows it already
        return set;
    }

    void startedWithoutConnection(SQLException cause) {
        LOG.log(Level.WARNING, () -> name + " - started without a connection: the one start-up attempt failed ("
                + reasonOf(cause) + ": " + cause.getMessage()
                + "); initializationFailTimeout=0 starts anyway, and the pool connects once the database answers");
    }

    /** A long initializationFailTimeout must not look like a hang: what fails, at most every few seconds. */
    void startupAttemptFailed(int failedAttempts, SQLException cause, long remainingNanos, long initFailNanos) {
        LOG.log(Level.WARNING, () -> name + " - start-up check: attempt " + failedAttempts + " failed ("
                + reasonOf(cause) + ": "
                + withoutPoolName(name, cause.getMessage())
                + "); retrying for up to " + TimeUnit.NANOSECONDS.toMillis(remainingNanos)
                + "ms more (initializationFailTimeout=" + TimeUnit.NANOSECONDS.toMillis(initFailNanos) + "ms)");
    }

    /** A failure message without its leading "pool: ", for lines that name the pool already. */
    static String withoutPoolName(String name, String message) {
        return message != null && message.startsWith(name + ": ") ? message.substring(name.length() + 2) : message;
    }

    private static FailureReason reasonOf(SQLException cause) {
        return SluiceFailure.reasonOf(cause).orElse(FailureReason.CONNECT_REFUSED);
    }

    void suspended(boolean suspended) {
        LOG.log(Level.INFO, () -> name + (suspended ? " suspended" : " resumed"));
    }

    void failover(String trigger, long generation) {
        LOG.log(Level.WARNING, () -> name + ": failover signal " + trigger + " on a live connection: generation " + generation
                + " starts; idle connections of older generations are closed, borrowed ones close when returned");
    }

    void resized(int maximumPoolSize, int minimumIdle) {
        LOG.log(Level.INFO, () -> name + " resized: maximumPoolSize=" + maximumPoolSize + ", minimumIdle=" + minimumIdle);
    }

    void credentialsChanged(String username) {
        LOG.log(Level.INFO, () -> name + ": credentials changed for new connections (user " + username + ")");
    }

    void sizing(SizingDecision d) {
        if (d.action() != SizingDecision.Action.HOLD) {
            LOG.log(Level.INFO, () -> name + ": sizing " + d);
        }
    }

    void closed() {
        LOG.log(Level.INFO, () -> name + " - closed");
    }

    void abortedAtShutdown(String borrowThread) {
        LOG.log(Level.WARNING, name + ": aborting a connection still borrowed at shutdown"
                + (borrowThread != null ? " by thread " + borrowThread : ""));
    }

    void housekeepingFailed(Throwable unexpected) {
        LOG.log(Level.ERROR, name + ": housekeeping failed", unexpected);
    }

    void listenerFailed(Object listener, Throwable e) {
        LOG.log(Level.WARNING, name + ": listener " + listener.getClass().getName() + " threw; its failures are reported only once", e);
    }

    // ---------------------------------------------------------------- connections

    void connectFailed(SQLException failure) {
        LOG.log(Level.DEBUG, () -> name + ": connect failed: " + failure.getMessage());
    }

    void breaker(BreakerState from, BreakerState to, Throwable lastFailure, int consecutiveFailures) {
        if (to == BreakerState.OPEN && from == BreakerState.CLOSED) {
            LOG.log(Level.WARNING, name + ": circuit breaker OPEN after " + consecutiveFailures
                    + " connect failures; callers that would wait for a connection fail fast until the database answers"
                    + (lastFailure != null ? "; last failure: " + lastFailure.getMessage() : ""));
        } else if (to == BreakerState.CLOSED) {
            LOG.log(Level.WARNING, () -> name + ": circuit breaker CLOSED: the database answers again");
        }
    }

    void discarded(PooledConnection e, CloseReason reason) {
        LOG.log(Level.TRACE, () -> name + ": closed " + e + " (" + reason + ")");
    }

    void validationFailed(PooledConnection e, Throwable failed) {
        LOG.log(Level.DEBUG, () -> name + ": validation of " + e + " failed: " + failed);
    }

    void resetFailed(PooledConnection e, SQLException ex) {
        LOG.log(Level.DEBUG, () -> name + ": reset on return failed, closing " + e + ": " + ex);
    }

    // ---------------------------------------------------------------- borrowers

    /** {@code site} and {@code context} as read once by the detector: the borrower may return meanwhile and clear them. */
    void leakSuspected(PooledConnection e, String tenant, long heldNanos, long thresholdNanos, Throwable site, Object context) {
        LOG.log(Level.WARNING, name + ": connection" + forTenant(tenant) + " held for " + TimeUnit.NANOSECONDS.toMillis(heldNanos)
                + "ms by thread " + e.borrowThread() + " (leakDetectionThreshold="
                + TimeUnit.NANOSECONDS.toMillis(thresholdNanos) + "ms), possible leak"
                + (context != null ? "; context " + context : "") + "; borrowed at:", site);
    }

    void leakResolved(PooledConnection e, long heldNanos) {
        LOG.log(Level.INFO, () -> name + ": connection previously reported as possibly leaked was returned after "
                + TimeUnit.NANOSECONDS.toMillis(heldNanos) + "ms by thread " + e.borrowThread());
    }

    void abandoned(PooledConnection e, String tenant, long heldNanos, long abandonNanos) {
        LOG.log(Level.WARNING, name + ": connection" + forTenant(tenant) + " held for " + TimeUnit.NANOSECONDS.toMillis(heldNanos)
                + "ms by thread "
                + (e.borrowThread() != null ? e.borrowThread() : e.borrower != null ? e.borrower.getName() : "?")
                + " exceeded abandonTimeout=" + TimeUnit.NANOSECONDS.toMillis(abandonNanos) + "ms and was aborted", BorrowSite.asThrowable(e.borrowSite()));
    }

    private static String forTenant(String tenant) {
        return tenant == null ? "" : " of tenant '" + tenant + "'";
    }

    void nestedAcquisition(String message, Throwable requestSite) {
        LOG.log(Level.WARNING, message + " (nestedAcquisition=WARN; warned once per call site)", requestSite);
    }
}
