package dev.sluice.spring.boot;

/**
 * The application's pool failed its own start-up check. It wraps Sluice's classified failure so
 * the failure analysis can tell it from a failure of a caller after the pool started (the same
 * classified failures, e.g. {@code BREAKER_OPEN} from a {@code getConnection}), which needs
 * different advice.
 */
final class PoolStartFailedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PoolStartFailedException(Exception sluiceFailure) {
        super(sluiceFailure.getMessage(), sluiceFailure);
    }
}
