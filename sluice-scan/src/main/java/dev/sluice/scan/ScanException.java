package dev.sluice.scan;

/** The scan could not run at all: a path that does not exist, a file or class path entry that cannot be read. */
public final class ScanException extends Exception {
    private static final long serialVersionUID = 1L;

    public ScanException(String message) {
        super(message);
    }

    public ScanException(String message, Throwable cause) {
        super(message, cause);
    }
}
