package dev.sluice.console;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Login sessions: the login page sets a random 256-bit id in an HttpOnly, SameSite=Strict cookie,
 * and each session carries its own CSRF token for the page's POSTs. Sessions are held by the SHA-256
 * of their id, so the lookup's timing depends on a hash of the cookie, not on how much of a real id
 * a guess got right. They end after {@link #LIFETIME_NANOS}, at logout, and when the console stops.
 */
final class Sessions {
    static final long LIFETIME_NANOS = 8L * 3600 * 1_000_000_000L;
    /** More live sessions than any operator team needs; the oldest is dropped beyond it. */
    static final int MAX_SESSIONS = 1_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One logged-in browser. */
    record Session(String csrfToken, long expiresAtNanos, String who) {
    }

    private final Map<String, Session> byIdDigest = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    Sessions(LongSupplier clock) {
        this.clock = clock;
    }

    static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Starts a session for a browser at {@code from}; returns its id, for the cookie. */
    String start(String from) {
        long now = clock.getAsLong();
        if (byIdDigest.size() >= MAX_SESSIONS) {
            purge(now);
            if (byIdDigest.size() >= MAX_SESSIONS) {
                Iterator<String> it = byIdDigest.keySet().iterator();
                it.next();
                it.remove();
            }
        }
        String id = randomToken();
        String k = key(id);
        // The audit log names a session by a prefix of its id's hash: traceable, and useless to steal.
        byIdDigest.put(k, new Session(randomToken(), now + LIFETIME_NANOS, "session " + k.substring(0, 8) + " from " + from));
        return id;
    }

    /** The live session with this id, or null. */
    Session find(String id) {
        if (id == null || id.isEmpty()) {
            return null;
        }
        String k = key(id);
        Session s = byIdDigest.get(k);
        if (s != null && clock.getAsLong() - s.expiresAtNanos() >= 0) {
            byIdDigest.remove(k);
            return null;
        }
        return s;
    }

    void end(String id) {
        if (id != null) {
            byIdDigest.remove(key(id));
        }
    }

    void clear() {
        byIdDigest.clear();
    }

    private void purge(long now) {
        byIdDigest.values().removeIf(s -> now - s.expiresAtNanos() >= 0);
    }

    private static String key(String id) {
        return HexFormat.of().formatHex(Credentials.sha256(id));
    }
}
