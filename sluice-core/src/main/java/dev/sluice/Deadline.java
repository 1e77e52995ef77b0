package dev.sluice;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * A deadline scoped to the current thread: set it once where a request starts, and every
 * {@link SluiceDataSource#getConnection()} inside the scope waits no longer than the time left.
 * Statements run on a connection borrowed inside the scope are stopped by the database itself
 * just before the deadline (PostgreSQL's {@code statement_timeout} and MariaDB's
 * {@code max_statement_time}, set to the time left less up to 100 ms for the answer to arrive;
 * for other drivers JDBC's query timeout, whole seconds rounded up; a shorter timeout set by the
 * caller wins), so the connection stays usable and the caller gets a {@link SluiceFailure} with
 * reason {@link FailureReason#DEADLINE_EXCEEDED}. The connection's network timeout is set to the
 * time left, so a statement blocked on a dead network still ends at the deadline (and loses that
 * connection).
 *
 * <pre>{@code
 * try (Deadline d = Deadline.after(Duration.ofMillis(800))) {
 *     try (Connection c = dataSource.getConnection()) { ... }
 * }
 * }</pre>
 *
 * Scopes nest: an inner deadline never extends an outer one. Closing a scope restores the
 * enclosing one. A scope must be closed on the thread that opened it. The deadline is measured on
 * the monotonic clock ({@link System#nanoTime()}), never on the wall clock.
 */
public final class Deadline implements AutoCloseable {
    private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

    private final long expiresAtNanos;
    private final Deadline enclosing;
    private final Thread owner;
    private boolean closed;

    private Deadline(long expiresAtNanos, Deadline enclosing) {
        this.expiresAtNanos = expiresAtNanos;
        this.enclosing = enclosing;
        this.owner = Thread.currentThread();
    }

    /**
     * Opens a scope that expires {@code budget} from now (or at the enclosing deadline, if that
     * is sooner) and makes it current on this thread until {@link #close()}.
     */
    public static Deadline after(Duration budget) {
        Objects.requireNonNull(budget, "budget");
        if (budget.isNegative()) {
            throw new IllegalArgumentException("budget=" + budget + " must not be negative");
        }
        long now = System.nanoTime();
        long expires = now + saturatedNanos(budget);
        Deadline enclosing = CURRENT.get();
        if (enclosing != null && enclosing.expiresAtNanos - expires < 0) {
            expires = enclosing.expiresAtNanos;
        }
        Deadline d = new Deadline(expires, enclosing);
        CURRENT.set(d);
        return d;
    }

    /** Runs {@code work} inside a scope of {@code budget}. */
    public static <T> T call(Duration budget, Callable<T> work) throws Exception {
        Deadline scope = after(budget);
        try {
            return work.call();
        } finally {
            scope.close();
        }
    }

    /** The deadline in force on this thread, if any. */
    public static Optional<Deadline> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** The time left, zero once expired. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, remainingNanos()));
    }

    /** Whether the deadline has passed. */
    public boolean isExpired() {
        return remainingNanos() <= 0;
    }

    /** Restores the enclosing deadline on this thread. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a Deadline must be closed on the thread that opened it (" + owner.getName() + ")");
        }
        closed = true;
        if (CURRENT.get() == this) {
            if (enclosing == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(enclosing);
            }
        }
    }

    long remainingNanos() {
        return expiresAtNanos - System.nanoTime();
    }

    long expiresAtNanos() {
        return expiresAtNanos;
    }

    /** The current thread's deadline, or null: the allocation-free form for the borrow path. */
    static Deadline currentOrNull() {
        return CURRENT.get();
    }

    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE / 4;
        }
    }

    @Override
    public String toString() {
        return "Deadline[remaining=" + remaining().toMillis() + "ms]";
    }
}
