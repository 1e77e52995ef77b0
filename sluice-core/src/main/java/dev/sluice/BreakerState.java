package dev.sluice;

/** The state of a pool's circuit breaker (see {@link SluiceConfig.Builder#breakerFailureThreshold}). */
public enum BreakerState {
    /** Connects are attempted normally. */
    CLOSED,
    /**
     * Connects kept failing: no connect is attempted except a periodic probe, and a borrower that
     * would have to wait for a new connection fails at once with {@link FailureReason#BREAKER_OPEN}.
     */
    OPEN,
    /** One probe connect is under way; its outcome closes or re-opens the breaker. */
    HALF_OPEN,
    /** The breaker is switched off ({@code breakerFailureThreshold=0}). */
    DISABLED
}
