package dev.sluice;

import java.sql.SQLException;
import java.util.Optional;

/**
 * A classified pool failure. Every {@link SQLException} the pool itself raises implements this
 * interface; it is either a {@link SluiceTransientException} (a
 * {@link java.sql.SQLTransientConnectionException}) or a {@link SluiceNonTransientException} (a
 * {@link java.sql.SQLNonTransientConnectionException}), so JDBC-aware frameworks (Spring's
 * exception translation, retry libraries) classify it correctly without knowing Sluice.
 *
 * <pre>{@code
 * catch (SQLException e) {
 *     if (SluiceFailure.reasonOf(e).orElse(null) == FailureReason.BREAKER_OPEN) { ... }
 * }
 * }</pre>
 */
public sealed interface SluiceFailure permits SluiceTransientException, SluiceNonTransientException {

    /** What went wrong. */
    FailureReason reason();

    /** The name of the pool that raised the failure. */
    String poolName();

    /** Whether a retry may succeed without a configuration change. */
    default boolean isTransient() {
        return reason().isTransient();
    }

    /** The stable code of the reason, e.g. {@code SLUICE-ACQUIRE_TIMEOUT}. */
    default String code() {
        return reason().code();
    }

    /** The reason of the first classified failure in {@code t}'s cause chain, if any. */
    static Optional<FailureReason> reasonOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SluiceFailure f) {
                return Optional.of(f.reason());
            }
        }
        return Optional.empty();
    }

    /** Creates the exception of the right JDBC type for {@code reason}. */
    static SQLException of(FailureReason reason, String poolName, String message, Throwable cause) {
        return reason.isTransient()
                ? new SluiceTransientException(reason, poolName, message, cause)
                : new SluiceNonTransientException(reason, poolName, message, cause);
    }
}
