package dev.sluice.internal;

import java.lang.StackWalker.StackFrame;
import java.security.CodeSource;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Where a connection was borrowed, as leak detection records it: a {@link Throwable} filled with
 * the whole stack ({@code leakDetectionStacks=FULL}) or the borrower's {@link StackFrame} alone
 * ({@code FRAME}), turned into a one-frame Throwable only when someone reads it.
 *
 * <p>Why a frame and not a stack. A Throwable walks the whole stack, so its cost grows with the
 * stack's depth (about 35 ns a frame on JDK 17; an application server's request thread is 100 or
 * more frames deep). A StackWalker walk stops at the first frame outside the pool, so its cost
 * is fixed. On JDK 17 that fixed cost is still about a microsecond (the walker resolves a
 * method for every frame of its first batch), so on a shallow stack FULL is no dearer; see
 * docs/benchmarks.md. Nothing cheaper names the borrower on JDK 17: no public API gives the
 * caller of the caller without a walk.
 *
 * <p>Why it cannot be deferred. The borrower's stack exists only while the borrower is inside the
 * method that borrowed: a leak is by definition noticed long after that method returned, so what
 * is not recorded at the borrow is lost.
 */
final class BorrowSite {
    /**
     * RETAIN_CLASS_REFERENCE: the filter asks each frame's class, not its name. The estimate is the
     * size of the walker's first batch, every frame of which it resolves: a borrow whose borrower
     * lies beyond it fetches a second batch and costs over twice as much (1.8 KB instead of 800 B),
     * while a larger batch costs every borrow more (about 170 B at 10). A plain borrow's borrower is
     * within 8 frames; a tenant's borrow passes through the data source's and the router's frames,
     * two more (three on the rare retry after the router dropped the tenant's pool).
     */
    private static final StackWalker WALKER = StackWalker.getInstance(Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE), 8);
    private static final StackWalker TENANT_WALKER = StackWalker.getInstance(Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE), 10);
    /** Where Sluice's own classes come from: a frame of one of them is the pool, not the borrower. */
    private static final CodeSource POOL_CODE = codeSource(BorrowSite.class);
    /** Decided once per class: the walk then costs one map look-up per frame. */
    private static final ClassValue<Boolean> POOL_SIDE = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> c) {
            return isPoolSide(c);
        }
    };
    private static final Function<Stream<StackFrame>, StackFrame> FIRST_BORROWER_FRAME =
            frames -> frames.filter(f -> !POOL_SIDE.get(f.getDeclaringClass())).findFirst().orElse(null);

    private BorrowSite() {
    }

    /**
     * The borrower's whole stack (FULL) or its frame (FRAME); never null. {@code throughTenantRouter}:
     * the borrow came through a TenantDataSource, two frames deeper.
     */
    static Object capture(boolean fullStack, boolean throughTenantRouter) {
        if (fullStack) {
            return new Throwable("borrowed here");
        }
        StackFrame f = (throughTenantRouter ? TENANT_WALKER : WALKER).walk(FIRST_BORROWER_FRAME);
        return f != null ? f : new Throwable("borrowed here (no frame outside the pool was found)");
    }

    /** A recorded site as the Throwable the API hands out, or null when none was recorded. */
    static Throwable asThrowable(Object site) {
        if (site == null || site instanceof Throwable) {
            return (Throwable) site;
        }
        Throwable t = new FrameOnly();
        t.setStackTrace(new StackTraceElement[] {((StackFrame) site).toStackTraceElement()});
        return t;
    }

    /**
     * Sluice itself (the data sources, the pool, the handle wrappers) and java.sql/javax.sql.
     * Anything else is the borrower. Sluice is its packages as loaded from Sluice's module or jar:
     * the packages alone would take a test that shares one for the pool, the jar alone would take
     * the whole application for the pool once it is shaded into one jar with Sluice.
     */
    static boolean isPoolSide(Class<?> c) {
        String n = c.getName();
        if (n.startsWith("java.sql.") || n.startsWith("javax.sql.")) {
            return true;
        }
        String pkg = c.getPackageName();
        if (!pkg.equals("dev.sluice") && !pkg.startsWith("dev.sluice.internal")) {
            return false;
        }
        if (c.getModule().isNamed()) {
            return c.getModule() == BorrowSite.class.getModule();
        }
        return POOL_CODE != null && Objects.equals(POOL_CODE.getLocation(), location(c));
    }

    private static CodeSource codeSource(Class<?> c) {
        return c.getProtectionDomain().getCodeSource();
    }

    private static Object location(Class<?> c) {
        CodeSource cs = codeSource(c);
        return cs == null ? null : cs.getLocation();
    }

    /** A Throwable whose one frame is set after it is made: it does not walk the reporting thread's stack. */
    private static final class FrameOnly extends Throwable {
        private static final long serialVersionUID = 1L;

        FrameOnly() {
            super("borrowed here (leakDetectionStacks=FRAME records the borrower's frame; FULL records its whole stack)");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
