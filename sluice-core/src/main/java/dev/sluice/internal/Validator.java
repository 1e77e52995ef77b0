package dev.sluice.internal;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * Checks that an idle connection still works, before hand-out (idle past the bypass window) and
 * for keepalive. The check never runs past the caller's deadline: the driver's network timeout is
 * set to the time left first (PostgreSQL's {@code isValid} honours a shorter existing one), so a
 * dead peer fails the check in time instead of holding the caller.
 */
final class Validator {
    private final Pool pool;
    /** Null: the driver's {@code isValid}. */
    private final String testQuery;

    Validator(Pool pool) {
        this.pool = pool;
        this.testQuery = pool.config.connectionTestQuery();
    }

    /** Whether {@code e} answered within validationTimeout and before {@code deadlineNanos}; on success it counts as just used. */
    boolean validate(PooledConnection e, long deadlineNanos) {
        long budget = Math.min(pool.validationTimeoutNanos, deadlineNanos - pool.ticker.read());
        if (budget <= 0) {
            return false;
        }
        int budgetMs = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(budget));
        int defaultNetworkTimeout = e.defaults.networkTimeout();
        boolean netTimeout = defaultNetworkTimeout >= 0;
        try {
            if (netTimeout) {
                e.raw.setNetworkTimeout(DirectExecutor.INSTANCE, budgetMs);
            }
            boolean ok;
            int seconds = Math.max(1, (budgetMs + 999) / 1000);
            if (testQuery == null) {
                ok = e.raw.isValid(seconds);
            } else {
                try (Statement s = e.raw.createStatement()) {
                    s.setQueryTimeout(seconds);
                    s.execute(testQuery);
                }
                if (!e.raw.getAutoCommit()) {
                    e.raw.rollback();
                }
                ok = true;
            }
            if (ok && netTimeout) {
                e.raw.setNetworkTimeout(DirectExecutor.INSTANCE, defaultNetworkTimeout);
            }
            if (ok) {
                e.lastUsedNanos = pool.ticker.read();
            }
            return ok;
        } catch (SQLException | RuntimeException failed) {
            pool.events.validationFailed(e, failed);
            return false;
        }
    }
}
