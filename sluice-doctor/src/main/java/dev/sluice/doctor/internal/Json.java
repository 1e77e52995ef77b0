package dev.sluice.doctor.internal;

import java.util.List;
import java.util.Map;

/**
 * The JSON the reports need, written by hand so the module depends on nothing: objects (maps, in
 * their iteration order), arrays, strings, integers, booleans and null. Strings are escaped as RFC
 * 8259 requires (quote, backslash, every control character), plus U+2028 and U+2029, which
 * JavaScript source does not allow raw.
 */
public final class Json {
    private Json() {
    }

    public static String write(Object value) {
        StringBuilder s = new StringBuilder();
        append(s, value);
        return s.toString();
    }

    private static void append(StringBuilder s, Object value) {
        if (value == null) {
            s.append("null");
        } else if (value instanceof String text) {
            string(s, text);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Boolean) {
            s.append(value);
        } else if (value instanceof Map<?, ?> map) {
            s.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    s.append(',');
                }
                first = false;
                string(s, String.valueOf(e.getKey()));
                s.append(':');
                append(s, e.getValue());
            }
            s.append('}');
        } else if (value instanceof List<?> list) {
            s.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    s.append(',');
                }
                append(s, list.get(i));
            }
            s.append(']');
        } else {
            throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
        }
    }

    private static void string(StringBuilder s, String text) {
        s.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                case '\b' -> s.append("\\b");
                case '\f' -> s.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        s.append('"');
    }
}
