package dev.sluice.doctor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One result of a check.
 *
 * @param id       the rule's stable identifier, e.g. {@code DOC-LIFETIME}: safe to match on in scripts
 * @param severity how much it matters
 * @param message  what is wrong (or was found), with the numbers, in one sentence
 * @param values   the values the rule read, in the order it read them: numbers as {@link Long}, flags as
 *                 {@link Boolean}, durations and everything else as text ({@code 60s}, {@code off})
 * @param fix      what to change; empty for an {@link Severity#INFO} finding that needs nothing
 * @param link     where the rule is explained
 */
public record Finding(String id, Severity severity, String message, Map<String, Object> values, String fix, String link) {

    public Finding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(fix, "fix");
        Objects.requireNonNull(link, "link");
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Object v = e.getValue();
            if (!(v instanceof Long || v instanceof Boolean || v instanceof String)) {
                throw new IllegalArgumentException("value " + e.getKey() + " of " + id + " must be a Long, Boolean or String, not "
                        + (v == null ? "null" : v.getClass().getName()));
            }
        }
        // Insertion order is part of the output: values read first are shown first.
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
