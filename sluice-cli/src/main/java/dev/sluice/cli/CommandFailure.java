package dev.sluice.cli;

import dev.sluice.FailureReason;
import dev.sluice.SluiceFailure;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A run-time failure the CLI reports as one line and exit code 1: what the command was doing,
 * the classified cause, and the driver's message with secrets hidden. A pool failure is named by
 * its {@link FailureReason}, with whether retrying can help, because that is the first thing an
 * operator needs to know: wait, or fix the configuration.
 */
final class CommandFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private CommandFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @param doing what failed, e.g. "could not prepare the demo tables"; null when the cause's
     *              message says it already (the pool's start-up failure begins "pool could not start")
     */
    static CommandFailure of(String doing, SQLException cause, ConnectionTarget target) {
        String context = doing == null ? "" : doing + ": ";
        String message = target.redact(cause.getMessage());
        Optional<FailureReason> reason = SluiceFailure.reasonOf(cause);
        if (reason.isPresent()) {
            // The pool names the reason in its message too; the line leads with it, so once is enough.
            message = message.replace(" (" + reason.get().name() + ")", "");
        }
        return new CommandFailure(classification(cause) + context + message, cause);
    }

    private static String classification(SQLException cause) {
        Optional<FailureReason> reason = SluiceFailure.reasonOf(cause);
        if (reason.isPresent()) {
            FailureReason r = reason.get();
            return r.name() + " (" + (r.isTransient() ? "may succeed if retried" : "fix the configuration") + "): ";
        }
        return cause.getSQLState() == null ? "" : "SQLSTATE " + cause.getSQLState() + ": ";
    }
}
