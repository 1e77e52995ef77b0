package dev.sluice.cli;

/**
 * Why {@code sluice patrol} could not watch anything: no such process, attach refused, no Sluice
 * pool in the JVM, a bad JMX URL, the connection lost. Reported as one line with exit code 2, so
 * a deploy script can tell "the patrol did not run" from "a pool failed the patrol" (exit 1).
 */
final class CannotPatrol extends Exception {
    private static final long serialVersionUID = 1L;

    CannotPatrol(String message) {
        super(message);
    }

    CannotPatrol(String message, Throwable cause) {
        super(message, cause);
    }
}
