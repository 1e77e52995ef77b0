package dev.sluice;

import java.util.Optional;

/**
 * The tenant of the current request, scoped to the current thread: set it once where a request
 * starts, and every {@link TenantDataSource#getConnection()} inside the scope borrows for it.
 *
 * <pre>{@code
 * try (Tenant t = Tenant.scope("shop_a"); Connection c = tenants.getConnection()) { ... }
 * }</pre>
 *
 * Scopes nest like {@link Deadline}'s: an inner scope names the tenant until it is closed, then
 * the enclosing one is current again (one closed out of order is skipped). A scope must be closed
 * on the thread that opened it.
 *
 * <p>Tenant ids are checked when the scope opens, against {@link #ID_RULE}: a letter or
 * underscore, then up to 62 letters, digits, underscores, dollar signs or hyphens. That is a
 * name every supported database accepts as a quoted identifier, and it cannot carry a quote, a
 * semicolon or a space into the statement that switches the schema.
 */
public final class Tenant implements AutoCloseable {
    /** The rule every tenant id must match, as a regular expression. */
    public static final String ID_RULE = "[A-Za-z_][A-Za-z0-9_$-]{0,62}";
    private static final ThreadLocal<Tenant> CURRENT = new ThreadLocal<>();

    private final String id;
    private final Tenant enclosing;
    private final Thread owner;
    private boolean closed;

    private Tenant(String id, Tenant enclosing) {
        this.id = id;
        this.enclosing = enclosing;
        this.owner = Thread.currentThread();
    }

    /**
     * Makes {@code id} the current tenant on this thread until {@link #close()}.
     *
     * @throws IllegalArgumentException if {@code id} does not match {@link #ID_RULE}
     */
    public static Tenant scope(String id) {
        String problem = problemWith(id);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        Tenant t = new Tenant(id, CURRENT.get());
        CURRENT.set(t);
        return t;
    }

    /** The tenant in scope on this thread, if any. */
    public static Optional<String> current() {
        Tenant t = CURRENT.get();
        return t == null ? Optional.empty() : Optional.of(t.id);
    }

    /** Whether {@code id} is an acceptable tenant id. */
    public static boolean isValidId(String id) {
        // The rule ID_RULE spells out, checked by hand: it runs on every getConnection(tenant), where a regex costs ~100 ns.
        if (id == null || id.isEmpty() || id.length() > 63) {
            return false;
        }
        char first = id.charAt(0);
        if (!(first >= 'A' && first <= 'Z' || first >= 'a' && first <= 'z' || first == '_')) {
            return false;
        }
        for (int i = 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Null if {@code id} is acceptable; otherwise the message that says why not (never echoes more than 80 characters). */
    static String problemWith(String id) {
        if (id == null) {
            return "tenant id is null";
        }
        if (isValidId(id)) {
            return null;
        }
        String shown = id.length() > 80 ? id.substring(0, 80) + "..." : id;
        return "tenant id '" + shown + "' is not valid: it must match " + ID_RULE
                + " (a letter or _, then at most 62 letters, digits, _, $ or -; no quotes, spaces or semicolons)";
    }

    /** This scope's tenant id. */
    public String id() {
        return id;
    }

    /** Restores the enclosing tenant on this thread. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a Tenant scope must be closed on the thread that opened it (" + owner.getName() + ")");
        }
        closed = true;
        if (CURRENT.get() == this) {
            // An enclosing scope closed out of order is skipped: a closed scope never becomes current again.
            Tenant back = enclosing;
            while (back != null && back.closed) {
                back = back.enclosing;
            }
            if (back == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(back);
            }
        }
    }

    /** The tenant in scope on this thread, or null: the allocation-free form. */
    static String currentOrNull() {
        Tenant t = CURRENT.get();
        return t == null ? null : t.id;
    }

    @Override
    public String toString() {
        return "Tenant[" + id + "]";
    }
}
