package dev.sluice.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * The pool's Flight Recorder events, readable with {@code jfr print --categories Sluice}. None is
 * emitted on the borrow fast path: acquisitions are recorded only when the caller had to wait,
 * and then only above the event's threshold (20 ms by default, adjustable in a JFR settings file).
 */
final class JfrEvents {
    private JfrEvents() {
    }

    /** Set once every event class is initialized; until then no event is created. */
    private static volatile boolean ready;
    private static final java.util.concurrent.atomic.AtomicBoolean STARTED = new java.util.concurrent.atomic.AtomicBoolean();

    /** Whether events may be created without initializing a class on the caller's thread. */
    static boolean ready() {
        return ready;
    }

    /**
     * Initializes the event classes on a thread of their own, once per class loader. The first
     * event class initialized in a JVM registers Flight Recorder's metadata repository: 265 ms on
     * an idle 2-core machine, 715 ms beside 4 busy threads, 2.4 s beside 16 (measured). Done
     * lazily, that ran on the first caller that had to wait for a connection, and every other
     * waiter blocked on the class's initialization lock behind it, past their deadlines
     * (DeadlineUnderLoadTest saw 1.2 s; users saw getConnection return 3.7 s late). Done in the
     * pool's constructor, it would delay every start. So events are skipped until this is done:
     * the few lost are those of a pool's first moments. When Flight Recorder is already running
     * (a recording was started), its repository exists, the rest is cheap, and it is done at once
     * so that no event of the recording is lost.
     */
    static void initialize() {
        if (ready) {
            return;
        }
        if (jdk.jfr.FlightRecorder.isInitialized()) {
            // Also when an earlier pool started the background thread before the recording began:
            // that thread may still be working, and the recording must not miss this pool's events.
            initializeClasses();
            return;
        }
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(JfrEvents::initializeClasses, "sluice-jfr-init");
        t.setDaemon(true);
        t.start();
    }

    private static void initializeClasses() {
        for (Class<?> c : new Class<?>[] {Acquire.class, Created.class, ConnectFailed.class, Closed.class, Leak.class,
                Nested.class, Resize.class, Breaker.class, Sizing.class}) {
            try {
                Class.forName(c.getName(), true, c.getClassLoader());
            } catch (ClassNotFoundException | LinkageError unavailable) {
                return; // Flight Recorder unusable here: events stay off, the pool works without them
            }
        }
        ready = true;
    }

    @Name("dev.sluice.Acquire")
    @Label("Slow Connection Acquisition")
    @Category({"Sluice", "Pool"})
    @Description("A getConnection call that had to wait")
    @Threshold("20 ms")
    static final class Acquire extends Event {
        @Label("Pool")
        String pool;
        @Label("Tenant")
        @Description("The tenant the connection was asked for through a TenantDataSource, if any")
        String tenant;
        @Label("Outcome")
        @Description("ACQUIRED, or the failure reason")
        String outcome;
    }

    @Name("dev.sluice.ConnectionCreated")
    @Label("Connection Created")
    @Category({"Sluice", "Pool"})
    @StackTrace(false)
    static final class Created extends Event {
        @Label("Pool")
        String pool;
        @Label("Connection Id")
        long connectionId;
        @Label("Connect Time")
        @Timespan(Timespan.NANOSECONDS)
        long connectTime;
    }

    @Name("dev.sluice.ConnectFailed")
    @Label("Connect Failed")
    @Category({"Sluice", "Pool"})
    @StackTrace(false)
    static final class ConnectFailed extends Event {
        @Label("Pool")
        String pool;
        @Label("Reason")
        String reason;
        @Label("Message")
        String message;
    }

    @Name("dev.sluice.ConnectionClosed")
    @Label("Connection Closed")
    @Category({"Sluice", "Pool"})
    @StackTrace(false)
    static final class Closed extends Event {
        @Label("Pool")
        String pool;
        @Label("Connection Id")
        long connectionId;
        @Label("Reason")
        String reason;
        @Label("Age")
        @Timespan(Timespan.NANOSECONDS)
        long age;
    }

    @Name("dev.sluice.LeakSuspected")
    @Label("Connection Leak Suspected")
    @Category({"Sluice", "Pool"})
    @StackTrace(false)
    static final class Leak extends Event {
        @Label("Pool")
        String pool;
        @Label("Tenant")
        @Description("The tenant the connection was borrowed for through a TenantDataSource, if any")
        String tenant;
        @Label("Borrower Thread")
        String thread;
        @Label("Held For")
        @Timespan(Timespan.NANOSECONDS)
        long heldFor;
        @Label("Borrow Site")
        String borrowSite;
        @Label("Abandoned")
        @Description("The connection was aborted (abandonTimeout)")
        boolean abandoned;
    }

    @Name("dev.sluice.NestedAcquisition")
    @Label("Nested Acquisition")
    @Category({"Sluice", "Pool"})
    static final class Nested extends Event {
        @Label("Pool")
        String pool;
    }

    @Name("dev.sluice.Resize")
    @Label("Pool Resized")
    @Category({"Sluice", "Pool"})
    @StackTrace(false)
    static final class Resize extends Event {
        @Label("Pool")
        String pool;
        @Label("Maximum Pool Size")
        int maximumPoolSize;
        @Label("Minimum Idle")
        int minimumIdle;
    }

    @Name("dev.sluice.BreakerTransition")
    @Label("Circuit Breaker Transition")
    @Category({"Sluice", "Pool"})
    @StackTrace(false)
    static final class Breaker extends Event {
        @Label("Pool")
        String pool;
        @Label("From")
        String from;
        @Label("To")
        String to;
        @Label("Last Failure")
        String lastFailure;
    }

    @Name("dev.sluice.SizingDecision")
    @Label("Sizing Decision")
    @Category({"Sluice", "Pool"})
    @StackTrace(false)
    static final class Sizing extends Event {
        @Label("Pool")
        String pool;
        @Label("Action")
        String action;
        @Label("From Size")
        int fromSize;
        @Label("To Size")
        int toSize;
        @Label("Applied")
        boolean applied;
        @Label("Reason")
        String reason;
    }

    /** The first frames of a borrow site, for an event field (JFR records the emitting thread's stack, not the borrower's). */
    static String frames(Throwable site) {
        if (site == null) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        StackTraceElement[] st = site.getStackTrace();
        for (int i = 0; i < Math.min(st.length, 12); i++) {
            b.append(i == 0 ? "" : "\n").append("at ").append(st[i]);
        }
        return b.toString();
    }
}
