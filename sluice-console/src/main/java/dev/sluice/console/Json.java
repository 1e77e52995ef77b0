package dev.sluice.console;

import java.util.Locale;

/**
 * A small JSON writer for the console's own documents. The console has no JSON library (no
 * runtime dependency but the core and the chart files), and its documents are flat enough that
 * appending is clearer than a tree. Strings are escaped for JSON and also for HTML-significant
 * characters ({@code <}, {@code >}, {@code &}), so a thread name or stack frame can never close a
 * script or markup context, wherever a page happens to put it.
 */
final class Json {
    private final StringBuilder out = new StringBuilder(256);
    /** Whether the next value in the current object/array needs a comma before it. */
    private boolean comma;

    Json object() {
        separator();
        out.append('{');
        comma = false;
        return this;
    }

    Json end() {
        out.append('}');
        comma = true;
        return this;
    }

    Json array() {
        separator();
        out.append('[');
        comma = false;
        return this;
    }

    Json endArray() {
        out.append(']');
        comma = true;
        return this;
    }

    /** A member name; the value follows. */
    Json name(String name) {
        separator();
        string(name);
        out.append(':');
        comma = false;
        return this;
    }

    Json value(String s) {
        separator();
        if (s == null) {
            out.append("null");
        } else {
            string(s);
        }
        comma = true;
        return this;
    }

    Json value(long v) {
        separator();
        out.append(v);
        comma = true;
        return this;
    }

    Json value(double v) {
        separator();
        out.append(Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "null");
        comma = true;
        return this;
    }

    Json value(boolean v) {
        separator();
        out.append(v);
        comma = true;
        return this;
    }

    Json field(String name, String v) {
        return name(name).value(v);
    }

    Json field(String name, long v) {
        return name(name).value(v);
    }

    Json field(String name, double v) {
        return name(name).value(v);
    }

    Json field(String name, boolean v) {
        return name(name).value(v);
    }

    /** Splices a document another writer made, as one value. */
    Json raw(String json) {
        separator();
        out.append(json);
        comma = true;
        return this;
    }

    private void separator() {
        if (comma) {
            out.append(',');
            comma = false;
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
