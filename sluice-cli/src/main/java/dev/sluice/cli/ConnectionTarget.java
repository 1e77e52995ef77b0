package dev.sluice.cli;

import dev.sluice.JdbcUrls;
import java.util.regex.Pattern;

/**
 * Where the demo connects, and what of it may be shown. The password is only ever handed to the
 * pool; everything printed about the target (the header, error messages) goes through
 * {@link #redact(String)}, which also hides passwords written into the URL itself, by the same rules
 * as the pool ({@link JdbcUrls#redact(String)}).
 */
final class ConnectionTarget {
    private static final Pattern LINE_BREAKS = Pattern.compile("\\s*[\\r\\n]+\\s*");
    private static final String HIDDEN = "<hidden>";

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String description;

    private ConnectionTarget(String jdbcUrl, String user, String password, String description) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.description = description;
    }

    /** A database the user named with {@code --url}. */
    static ConnectionTarget external(String jdbcUrl, String user, String password) {
        return new ConnectionTarget(jdbcUrl, user, password, JdbcUrls.redact(jdbcUrl));
    }

    /** The in-process database the demo started itself. */
    static ConnectionTarget embedded(String jdbcUrl, String user, String password, String engine) {
        return new ConnectionTarget(jdbcUrl, user, password, "embedded " + engine + " (" + jdbcUrl + ")");
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** How the target is named in output: the URL with its secrets hidden. */
    String description() {
        return description;
    }

    /**
     * {@code text} (typically a driver message) as it may be shown: the password and URL secrets
     * hidden, and on one line, since every failure the CLI reports is one line.
     */
    String redact(String text) {
        if (text == null) {
            return "";
        }
        String shown = JdbcUrls.redact(LINE_BREAKS.matcher(text).replaceAll(" ").trim());
        // Very short passwords are not replaced: "ab" would shred every message and hide little.
        if (password != null && password.length() >= 3) {
            shown = shown.replace(password, HIDDEN);
        }
        return shown;
    }
}
