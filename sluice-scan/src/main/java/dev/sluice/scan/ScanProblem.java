package dev.sluice.scan;

/**
 * Something about the input rather than the code: a file skipped or not parsed.
 *
 * @param warning true for a file that could not be analysed (does not parse), false for a note (skipped on purpose)
 * @param path    the file, as given or found
 * @param line    the line the parser stopped at, 0 when not about a line
 * @param message what happened
 */
public record ScanProblem(boolean warning, String path, int line, String message) {
    /** One line for a terminal: {@code path:line: warning: message}. */
    public String describe() {
        return path + (line > 0 ? ":" + line : "") + ": " + (warning ? "warning" : "note") + ": " + message;
    }
}
