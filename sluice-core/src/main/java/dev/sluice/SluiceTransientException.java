package dev.sluice;

import java.sql.SQLTransientConnectionException;

/** A classified pool failure that may succeed when retried. See {@link SluiceFailure}. */
public final class SluiceTransientException extends SQLTransientConnectionException implements SluiceFailure {
    private static final long serialVersionUID = 1L;

    private final FailureReason reason;
    private final String poolName;

    SluiceTransientException(FailureReason reason, String poolName, String message, Throwable cause) {
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
