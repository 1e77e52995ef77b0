package dev.sluice.scan;

import java.util.Objects;

/**
 * One problem found in one file.
 *
 * @param rule        which rule found it
 * @param severity    how serious this occurrence is (a rule may lower its default)
 * @param path        the file, relative to the scan's base directory, with '/' separators
 * @param line        1-based line of the call that opens the resource
 * @param column      1-based column of that call
 * @param message     what is wrong, naming the variable or call
 * @param fingerprint a hash that stays the same when unrelated lines move (see {@link Fingerprints})
 */
public record Finding(Rule rule, Severity severity, String path, int line, int column, String message, String fingerprint) {
    public Finding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }
}
