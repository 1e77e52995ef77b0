package dev.sluice;

import java.sql.SQLNonTransientConnectionException;

/** A classified pool failure that a retry will not fix. See {@link SluiceFailure}. */
public final class SluiceNonTransientException extends SQLNonTransientConnectionException implements SluiceFailure {
    private static final long serialVersionUID = 1L;

    private final FailureReason reason;
    private final String poolName;

    SluiceNonTransientException(FailureReason reason, String poolName, String message, Throwable cause) {
        super(message, reason.sqlState(), cause);
        this.reason = reason;
        this.poolName = poolName;
    }

    @Override
    public FailureReason reason() {
        return reason;
    }

    @Override
    public String poolName() {
        return poolName;
    }
}
