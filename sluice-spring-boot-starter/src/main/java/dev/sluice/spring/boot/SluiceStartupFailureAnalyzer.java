package dev.sluice.spring.boot;

import dev.sluice.FailureReason;
import dev.sluice.SluiceFailure;
import java.time.Duration;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;

/**
 * Explains a classified Sluice failure that stopped the application, telling two cases apart
 * because they need different advice: the pool could not start (its start-up check failed: the
 * database down or unreachable, a login refused, no driver for the URL), or the pool started and
 * then a bean could not get a connection while the application was starting (with
 * {@code initialization-fail-timeout=-1} the pool starts without the database, but an SQL
 * initializer, a migration or JPA's bootstrap still needs it).
 */
final class SluiceStartupFailureAnalyzer implements FailureAnalyzer {
    private static final String INITIALIZATION_FAIL_TIMEOUT = SluiceProperties.PREFIX + ".initialization-fail-timeout";

    private final Environment environment;

    /** Boot passes the application's environment, to tell whether the pool checked the database at start. */
    SluiceStartupFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        boolean poolDidNotStart = false;
        String caller = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PoolStartFailedException) {
                poolDidNotStart = true;
            } else if (t instanceof BeanCreationException b && b.getBeanName() != null) {
                caller = b.getBeanName(); // the innermost bean wins: the one that asked for the connection
            } else if (t instanceof SluiceFailure f) {
                return poolDidNotStart ? poolDidNotStart(f, t) : callerFailed(f, t, caller);
            }
        }
        return null;
    }

    private static FailureAnalysis poolDidNotStart(SluiceFailure f, Throwable t) {
        String description = "The Sluice connection pool '" + f.poolName() + "' could not start: its start-up check"
                + " could not open a connection.\n\n" + reason(f, t);
        String action = switch (f.reason()) {
            case CONNECT_REFUSED, CONNECT_TIMEOUT, BREAKER_OPEN -> "Check that the database in spring.datasource.url is"
                    + " running and reachable from here. To let the application start without it and connect once it"
                    + " answers, set " + INITIALIZATION_FAIL_TIMEOUT + "=-1 (beans that use the database while the"
                    + " application starts still need it); to wait for it at start-up, set it to how long to keep"
                    + " trying (e.g. 30s).";
            case AUTHENTICATION_FAILED -> "Check spring.datasource.username and spring.datasource.password: the database"
                    + " rejected them, and retrying will not help.";
            case INVALID_CONFIG -> "Check spring.datasource.url and spring.datasource.driver-class-name, and that the"
                    + " JDBC driver for the URL is a dependency of the application.";
            default -> "See the detail above; the reason's code is stable and documented in Sluice's FailureReason.";
        };
        return new FailureAnalysis(description, action, t);
    }

    private FailureAnalysis callerFailed(SluiceFailure f, Throwable t, String caller) {
        String who = caller != null ? "bean '" + caller + "'" : "a caller";
        Duration timeout = initializationFailTimeout();
        String started = timeout == null || timeout.compareTo(Duration.ZERO) > 0 ? "started"
                : timeout.isNegative() ? "started without checking the database (" + INITIALIZATION_FAIL_TIMEOUT + " is negative)"
                : "started although its one start-up attempt failed (" + INITIALIZATION_FAIL_TIMEOUT
                        + "=0 does not stop the start when the database cannot be reached)";
        String description = "The Sluice connection pool '" + f.poolName() + "' " + started + ", then " + who
                + " could not get a connection while the application was starting.\n\n" + reason(f, t);
        String action = switch (f.reason()) {
            case CONNECT_REFUSED, CONNECT_TIMEOUT, BREAKER_OPEN -> "Check that the database in spring.datasource.url is"
                    + " running and reachable from here. The pool does not need it to start, but " + who + " uses it"
                    + " while the application starts: to start without the database, keep such beans from connecting"
                    + " at start-up (for Boot's SQL scripts, spring.sql.init.mode=never; Flyway, Liquibase and JPA's"
                    + " schema handling also connect at start-up).";
            case AUTHENTICATION_FAILED -> "Check spring.datasource.username and spring.datasource.password: the database"
                    + " rejected them, and retrying will not help.";
            case ACQUIRE_TIMEOUT -> "Every connection stayed in use for spring.datasource.sluice.connection-timeout while"
                    + " the application was starting: raise spring.datasource.sluice.maximum-pool-size, or look for a"
                    + " bean that holds connections during start-up.";
            default -> "See the detail above; the reason's code is stable and documented in Sluice's FailureReason.";
        };
        return new FailureAnalysis(description, action, t);
    }

    private static String reason(SluiceFailure f, Throwable t) {
        StringBuilder s = new StringBuilder().append("    Reason: ").append(f.reason()).append(" (").append(f.code()).append(", ")
                .append(f.isTransient() ? "transient" : "not transient").append(")\n")
                .append("    Detail: ").append(t.getMessage());
        Throwable connect = t.getCause();
        if (f.reason() == FailureReason.BREAKER_OPEN && connect != null && connect.getMessage() != null) {
            // The breaker opened because connects failed: the last of those failures is what to fix.
            s.append("\n    Last connect failure: ").append(connect.getMessage());
        }
        return s.toString();
    }

    /** The initialization-fail-timeout the application set, under Sluice's name or HikariCP's; null if none or unknown. */
    private Duration initializationFailTimeout() {
        if (environment == null) {
            return null;
        }
        try {
            Binder binder = Binder.get(environment);
            Duration timeout = binder.bind(INITIALIZATION_FAIL_TIMEOUT, Duration.class)
                    .orElseGet(() -> binder.bind(HikariPropertyMigration.HIKARI_PREFIX + ".initialization-fail-timeout",
                            Duration.class).orElse(null));
            return timeout;
        } catch (RuntimeException e) {
            return null; // a value Boot cannot convert failed elsewhere already; say only what is certain
        }
    }
}
