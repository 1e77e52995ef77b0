package dev.sluice.console;

import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Everything a request must pass before a handler runs, in one place and one order: headers on
 * every answer; no query strings (a credential in a URL ends up in histories, proxies and logs);
 * a Host the console answers to (DNS rebinding); the route's {@link Route.Access} (token or
 * session, throttled per address; for writes a same-origin Origin and the session's CSRF token;
 * for pool actions the console's {@code actions(true)}).
 */
final class SecurityGate {
    static final String SESSION_COOKIE = "sluice_console";
    static final String CSRF_HEADER = "X-CSRF-Token";
    /** Scripts, styles, images and connections from the console itself only; no inline script or style. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final Credentials credentials;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final Set<String> hosts;
    private final Set<String> origins;
    private final boolean actions;
    private final Logger audit;

    SecurityGate(Credentials credentials, Sessions sessions, LoginThrottle throttle, Set<String> hosts,
            Set<String> origins, boolean actions, Logger audit) {
        this.credentials = credentials;
        this.sessions = sessions;
        this.throttle = throttle;
        this.hosts = hosts;
        this.origins = origins;
        this.actions = actions;
        this.audit = audit;
    }

    static void secureHeaders(Headers h) {
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        // Not no-referrer: with it browsers send "Origin: null" on the form POSTs whose Origin the gate checks.
        h.set("Referrer-Policy", "same-origin");
        h.set("Cross-Origin-Opener-Policy", "same-origin");
        h.set("Cross-Origin-Resource-Policy", "same-origin");
        h.set("Cache-Control", "no-store");
    }

    /** Refusals that apply before routing; true when the request was answered. */
    boolean refusedBeforeRouting(ConsoleRequest r) throws IOException {
        if (r.exchange.getRequestURI().getRawQuery() != null) {
            // Not logged, not echoed: the query may hold a token someone tried to pass.
            r.text(400, "this console takes no query parameters; send the token in an Authorization: Bearer header"
                    + " or log in at /login");
            return true;
        }
        String host = r.header("Host");
        if (host == null || !hosts.contains(host.toLowerCase(java.util.Locale.ROOT))) {
            r.text(421, "this console does not answer to that Host; behind a proxy, configure its public origin");
            return true;
        }
        return false;
    }

    /** Checks {@code access}; true when the request may proceed, otherwise it was answered. */
    boolean admits(ConsoleRequest r, Route.Access access) throws IOException {
        if (access == Route.Access.PUBLIC) {
            return true;
        }
        boolean bearer = false;
        String auth = r.header("Authorization");
        if (auth != null) {
            if (throttle.blocked(r.remote())) {
                tooMany(r);
                return false;
            }
            if (!auth.regionMatches(true, 0, "Bearer ", 0, 7) || !credentials.tokenMatches(auth.substring(7).trim())) {
                throttle.failed(r.remote());
                audit.log(Level.WARNING, "console: rejected bearer token from {0}", r.remote().getHostAddress());
                unauthorized(r);
                return false;
            }
            bearer = true;
            r.who = "bearer token from " + r.remote().getHostAddress();
        } else {
            String id = r.cookie(SESSION_COOKIE);
            Sessions.Session s = sessions.find(id);
            if (s == null) {
                unauthorized(r);
                return false;
            }
            r.session = s;
            r.who = s.who();
        }
        if (access == Route.Access.READ) {
            return true;
        }
        String origin = r.header("Origin");
        // A browser cannot be made to send a Bearer header cross-site, so the token itself proves
        // intent; a session cookie is sent by the browser on its own, so it needs both checks.
        if ((origin != null || !bearer) && (origin == null || !origins.contains(origin.toLowerCase(java.util.Locale.ROOT)))) {
            r.text(403, "refused: the request's Origin is not this console's (cross-site request)");
            return false;
        }
        if (!bearer) {
            String presented = r.header(CSRF_HEADER);
            if (presented == null || !MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                    r.session.csrfToken().getBytes(StandardCharsets.UTF_8))) {
                r.text(403, "refused: missing or wrong " + CSRF_HEADER + " header (reload the console page)");
                return false;
            }
        }
        if (access == Route.Access.ACTION && !actions) {
            r.text(403, "refused: this console is read-only; start it with actions(true) to allow pool actions");
            return false;
        }
        return true;
    }

    /** For the login form: the Origin check a form POST gets, since it has no CSRF token yet. */
    boolean sameOrigin(ConsoleRequest r) {
        String origin = r.header("Origin");
        return origin != null && origins.contains(origin.toLowerCase(java.util.Locale.ROOT));
    }

    static void unauthorized(ConsoleRequest r) throws IOException {
        r.exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"sluice-console\"");
        r.text(401, "authentication required: an Authorization: Bearer header with the console token, or log in at /login");
    }

    static void tooMany(ConsoleRequest r) throws IOException {
        r.exchange.getResponseHeaders().set("Retry-After", "60");
        r.text(429, "too many failed logins from this address: wait a minute");
    }
}
