package dev.sluice.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Hides secrets wherever configuration or a URL is shown: logs, messages, stats, toString. */
public final class Redaction {
    // A secret parameter's value runs to the next & or ; (a ? inside a password is hidden with it).
    private static final Pattern URL_SECRET_PARAM =
            Pattern.compile("(?i)((?:password|pwd|passwd|secret|token|sslpassword|key)=)[^&;]*");
    // The user-info password runs to the last @ before the host, so a password containing @ is hidden whole.
    private static final Pattern URL_USERINFO = Pattern.compile("(//[^/@:?]*:)[^/?\\s]*@");

    private Redaction() {
    }

    /** Whether a property of this name holds a secret. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("token") || k.contains("credential")
                || k.endsWith("key") || k.contains("passphrase") || k.equals("pwd");
    }

    /** The properties with secret values replaced, sorted by name. */
    public static Map<String, String> redact(Properties p) {
        Map<String, String> shown = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            String value = p.getProperty(name);
            // A bean property such as dataSource.url can carry a password of its own.
            shown.put(name, isSecret(name) ? "<hidden>" : name.toLowerCase(Locale.ROOT).contains("url") ? url(value) : value);
        }
        return shown;
    }

    /**
     * The JDBC URL (or a text quoting one) with password parameters and user-info passwords
     * replaced; the one URL redaction of Sluice, offered to other modules as {@code JdbcUrls.redact}.
     */
    public static String url(String url) {
        if (url == null) {
            return null;
        }
        String u = URL_SECRET_PARAM.matcher(url).replaceAll("$1<hidden>");
        return URL_USERINFO.matcher(u).replaceAll("$1<hidden>@");
    }

    /** {@code text} with every occurrence of {@code secret} replaced; for driver messages that echo input. */
    public static String scrub(String text, String secret) {
        if (text == null || secret == null || secret.length() < 3) {
            return text;
        }
        return text.replace(secret, "<hidden>");
    }
}
