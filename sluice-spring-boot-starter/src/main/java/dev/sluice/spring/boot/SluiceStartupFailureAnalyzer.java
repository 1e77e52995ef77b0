package dev.sluice.spring.boot;

import dev.sluice.FailureReason;
import dev.sluice.SluiceFailure;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Explains a pool that could not start: the database down or unreachable, a login refused, no
 * driver for the URL. The pool's own message already says what failed, classified; this adds what
 * to do about each class of failure.
 */
final class SluiceStartupFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SluiceFailure f) {
                return new FailureAnalysis(describe(f, t), action(f.reason()), t);
            }
        }
        return null;
    }

    private static String describe(SluiceFailure f, Throwable t) {
        return "The Sluice connection pool '" + f.poolName() + "' could not start.\n\n"
                + "    Reason: " + f.reason() + " (" + f.code() + ", " + (f.isTransient() ? "transient" : "not transient") + ")\n"
                + "    Detail: " + t.getMessage();
    }

    private static String action(FailureReason reason) {
        return switch (reason) {
            case CONNECT_REFUSED, CONNECT_TIMEOUT, BREAKER_OPEN -> "Check that the database in spring.datasource.url is"
                    + " running and reachable from here. To let the application start without it and connect once it"
                    + " answers, set spring.datasource.sluice.initialization-fail-timeout=-1; to wait for it at start-up,"
                    + " set it to how long to keep trying (e.g. 30s).";
            case AUTHENTICATION_FAILED -> "Check spring.datasource.username and spring.datasource.password: the database"
                    + " rejected them, and retrying will not help.";
            case INVALID_CONFIG -> "Check spring.datasource.url and spring.datasource.driver-class-name, and that the"
                    + " JDBC driver for the URL is a dependency of the application.";
            default -> "See the detail above; the reason's code is stable and documented in Sluice's FailureReason.";
        };
    }
}
