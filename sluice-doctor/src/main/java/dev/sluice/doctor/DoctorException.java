package dev.sluice.doctor;

import dev.sluice.FailureReason;
import java.io.Serial;
import java.util.Objects;

/**
 * The check could not run: the server could not be reached, rejected the credentials, or the
 * configuration names no driver on the class path. The message is one line, with secrets hidden,
 * and begins with the classified reason; the driver's exception is the cause.
 */
public final class DoctorException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    private final FailureReason reason;

    public DoctorException(FailureReason reason, String message, Throwable cause) {
        super(Objects.requireNonNull(reason, "reason").name() + " (" + (reason.isTransient() ? "may succeed if retried"
                : "fix the configuration") + "): " + message, cause);
        this.reason = reason;
    }

    /** Why the check could not run; {@link FailureReason#isTransient()} tells whether running it again may help. */
    public FailureReason reason() {
        return reason;
    }
}
