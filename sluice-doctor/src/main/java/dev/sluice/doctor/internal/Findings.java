package dev.sluice.doctor.internal;

import dev.sluice.doctor.Finding;
import dev.sluice.doctor.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the rules found, in the order they ran; {@link #sorted()} puts errors first. */
public final class Findings {
    /** The README section that explains every rule; each finding links to it. */
    public static final String LINK = "https://github.com/sluice-dev/sluice#doctor";

    private final List<Finding> list = new ArrayList<>();

    void add(String id, Severity severity, String message, Map<String, Object> values, String fix) {
        list.add(new Finding(id, severity, message, values, fix, LINK));
    }

    /** Errors, then warnings, then info; within one severity, in rule order. */
    public List<Finding> sorted() {
        List<Finding> s = new ArrayList<>(list);
        s.sort(Comparator.comparing(Finding::severity));
        return List.copyOf(s);
    }

    /**
     * Alternating names and values; Integers become Longs, Durations their text ("0 (off)" for
     * zero, since every duration a rule shows is a knob or setting where zero switches it off),
     * nulls are left out.
     */
    static Map<String, Object> values(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object v = namesAndValues[i + 1];
            if (v instanceof Integer n) {
                v = n.longValue();
            } else if (v instanceof Duration d) {
                v = TimeText.knob(d);
            }
            if (v != null) {
                m.put((String) namesAndValues[i], v);
            }
        }
        return m;
    }
}
