package dev.sluice.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * What proves an operator: the access token (in an {@code Authorization: Bearer} header or typed
 * into the login page) and, if configured, a password (login page only) checked against its
 * PBKDF2 hash. Every comparison takes the same time wherever the inputs differ: both sides are
 * hashed to a fixed length first and compared with {@link MessageDigest#isEqual}, so neither the
 * content nor the length of the token leaks through timing.
 */
final class Credentials {
    /** SHA-256 of the token, or null when only a password is configured (then Bearer is off). */
    private final byte[] tokenDigest;
    private final ConsolePassword password;

    Credentials(String token, ConsolePassword password) {
        this.tokenDigest = token == null ? null : sha256(token);
        this.password = password;
    }

    boolean acceptsBearer() {
        return tokenDigest != null;
    }

    boolean tokenMatches(String presented) {
        // Hash even when there is no token, so "no token configured" is not faster than "wrong token".
        byte[] digest = sha256(presented == null ? "" : presented);
        return tokenDigest != null && presented != null && MessageDigest.isEqual(tokenDigest, digest);
    }

    /** The login form's secret: the token or the password. */
    boolean loginMatches(String presented) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        boolean token = tokenMatches(presented);
        boolean pass = password != null && password.matches(presented);
        return token | pass;
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
