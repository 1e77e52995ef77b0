package dev.sluice.console;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What an operator may do to a pool from the console, when {@code actions(true)}: evict (every
 * connection replaced, borrowed ones on return), resize, suspend and resume. The gate has already
 * checked the session, the CSRF token and the Origin; every attempt, done or refused, is written
 * to the audit log with who, what and when.
 */
final class PoolActions {
    static final List<String> NAMES = List.of("evict", "resize", "suspend", "resume");

    private final List<PoolWatch> watches;
    private final Logger audit;

    PoolActions(List<PoolWatch> watches, Logger audit) {
        this.watches = watches;
        this.audit = audit;
    }

    void run(String action, ConsoleRequest r) throws IOException {
        String pool = r.params.get("pool");
        PoolWatch w = watches.stream().filter(x -> x.name.equals(pool)).findFirst().orElse(null);
        if (w == null) {
            r.text(404, "no pool named " + pool + " is registered with this console");
            return;
        }
        Map<String, String> form = r.form();
        String what = action;
        try {
            switch (action) {
                case "evict" -> w.ds.evictAll();
                case "suspend" -> w.ds.suspend();
                case "resume" -> w.ds.resume();
                case "resize" -> {
                    int max = number(form, "maximumPoolSize");
                    int min = number(form, "minimumIdle");
                    what = "resize maximumPoolSize=" + max + " minimumIdle=" + min;
                    w.ds.resize(max, min);
                }
                default -> throw new IllegalStateException("unrouted action " + action);
            }
        } catch (IllegalArgumentException | IllegalStateException refused) {
            audit.log(Level.WARNING, "console: {0} at {1}: {2} on pool {3} refused: {4}",
                    new Object[] {r.who, Instant.now(), what, pool, refused.getMessage()});
            r.text(400, refused.getMessage());
            return;
        }
        audit.log(Level.INFO, "console: {0} at {1}: {2} on pool {3}", new Object[] {r.who, Instant.now(), what, pool});
        r.json(200, new Json().object().field("done", what).field("pool", pool).end().toString());
    }

    private static int number(Map<String, String> form, String name) {
        String v = form.get(name);
        try {
            return Integer.parseInt(v == null ? "" : v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got " + (v == null ? "nothing" : "'" + clip(v) + "'"));
        }
    }

    private static String clip(String s) {
        return s.length() <= 20 ? s : s.substring(0, 20) + "…";
    }
}
