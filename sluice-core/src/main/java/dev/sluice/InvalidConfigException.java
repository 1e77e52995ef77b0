package dev.sluice;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * A configuration Sluice cannot run with. It lists every problem found at once, so a file with
 * three mistakes needs one fix-and-retry, not three; each {@link Violation} names the knob, the
 * value and the rule. Callers that report errors under their own names for knobs (a Spring
 * property, a command-line option) read {@link #knob()} instead of parsing the message.
 */
public final class InvalidConfigException extends IllegalArgumentException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * One broken rule.
     *
     * @param knob    the property name of the knob to change, as in {@link SluiceConfig#propertyNames()}
     * @param value   the rejected value as text (never a password), or null if the knob has none
     * @param message the whole explanation: knob, value, rule and, where there is one, the fix
     */
    public record Violation(String knob, String value, String message) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        public Violation {
            Objects.requireNonNull(knob, "knob");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Immutable, and its elements are serializable records, so the exception stays serializable. */
    private final List<Violation> violations;

    /** @param violations at least one; the first is the one {@link #knob()} and {@link #value()} report */
    public InvalidConfigException(List<Violation> violations) {
        super(message(violations));
        this.violations = List.copyOf(violations);
    }

    /** One violation, with the cause (a parse failure, a reflective error) that led to it. */
    public InvalidConfigException(Violation violation, Throwable cause) {
        super(violation.message(), cause);
        this.violations = List.of(violation);
    }

    /** Every problem found, in the order the knobs were checked. */
    public List<Violation> violations() {
        return violations;
    }

    /** The knob of the first violation. */
    public String knob() {
        return violations.get(0).knob();
    }

    /** The rejected value of the first violation, or null. */
    public String value() {
        return violations.get(0).value();
    }

    private static String message(List<Violation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("an InvalidConfigException needs at least one violation");
        }
        if (violations.size() == 1) {
            // The single-error text is the rule itself, as it always was: tests and users match on it.
            return violations.get(0).message();
        }
        StringBuilder s = new StringBuilder().append(violations.size()).append(" configuration errors:");
        for (Violation v : violations) {
            s.append("\n  - ").append(v.message());
        }
        return s.toString();
    }
}
