package dev.sluice;

import dev.sluice.internal.Redaction;

/**
 * What of a JDBC URL may be shown. Sluice itself never logs or reports a URL any other way; tools
 * that print URLs or driver messages (a command line, a test kit) use this so that they hide
 * exactly what the pool hides.
 */
public final class JdbcUrls {
    private JdbcUrls() {
    }

    /**
     * {@code text} (a JDBC URL, or a message that quotes one) with every secret replaced by
     * {@code <hidden>}: the value of each {@code password}, {@code pwd}, {@code passwd},
     * {@code sslpassword}, {@code secret}, {@code token} or {@code ...key} parameter (any case, up to
     * the next {@code &} or {@code ;}), and the password of a {@code //user:password@host} user-info.
     * Null stays null.
     */
    public static String redact(String text) {
        return Redaction.url(text);
    }
}
