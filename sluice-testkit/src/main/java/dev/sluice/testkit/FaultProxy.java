package dev.sluice.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * An in-process TCP proxy between a client (a pool, a driver) and a real server (a database),
 * whose behaviour can be switched at runtime to simulate a misbehaving network or server.
 *
 * <p>It listens on the loopback address on an ephemeral port ({@link #host()}, {@link #port()})
 * and forwards every accepted connection to the target. Point the JDBC URL at the proxy instead of
 * the database, then break things:
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start("127.0.0.1", 5432);
 *      SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder()
 *              .jdbcUrl("jdbc:postgresql://" + proxy.host() + ":" + proxy.port() + "/test")
 *              .username("postgres")
 *              .connectionTimeout(Duration.ofSeconds(1))
 *              .build())) {
 *
 *     proxy.latency(Duration.ofMillis(50));          // every chunk, each way, 50 ms late
 *     proxy.refuse();                                // new connects: "Connection refused"
 *     proxy.blackhole();                             // nothing gets through, not even on open connections
 *     proxy.resetAll();                              // every open connection gets a TCP RST
 *     proxy.bandwidth(Direction.TO_CLIENT, 10_000);  // result sets trickle in at 10 kB/s
 *     proxy.passThrough();                           // all faults off: service is back
 * }
 * }</pre>
 *
 * <h2>Faults</h2>
 * <ul>
 *   <li><b>{@link Mode#PASS_THROUGH}</b>: bytes are forwarded (subject to the latency and
 *       bandwidth settings below).
 *   <li><b>{@link Mode#REFUSE}</b> ({@link #refuse()}): the listening socket is closed, so a new
 *       connect fails with "Connection refused" at once, as when the database is down. Connections
 *       already open keep working. When the mode changes back, the proxy listens again <em>on the
 *       same port</em>.
 *   <li><b>{@link Mode#BLACKHOLE}</b> ({@link #blackhole()}): new connections are accepted (the TCP
 *       handshake completes) but never reach the server, and nothing is forwarded on existing
 *       connections either, in either direction: bytes are held, not delivered and not dropped,
 *       until the mode changes back (then they flow on, in order) or the connection is reset. This
 *       is a firewall silently dropping packets, or a frozen server: only timeouts end the wait.
 *   <li><b>Latency</b> ({@link #latency(Direction, Duration, Duration)}): each chunk of bytes read
 *       from one side is held until {@code latency ± jitter} (uniform, never below zero) after it
 *       was read, then written to the other side; per direction. Order is preserved. For
 *       request/response traffic such as a database protocol this is the delay of every message;
 *       for a bulk transfer it also caps throughput near 16 KiB per latency period.
 *   <li><b>Bandwidth</b> ({@link #bandwidth(Direction, long)}): each connection forwards at most
 *       this many bytes per second in that direction (a per-connection limit, not shared).
 *   <li><b>Reset</b> ({@link #resetAll()}): every open connection is aborted with a TCP RST on
 *       both sides ({@code SO_LINGER} 0), as when a server process is killed or a middlebox drops
 *       its state. New connections are not affected.
 * </ul>
 * Latency and bandwidth combine with each other and with the mode; {@link #passThrough()} clears
 * them all. Settings take effect at once, also for bytes already held: clearing a latency
 * releases held chunks immediately.
 *
 * <p>If the target cannot be reached when a connection arrives (connect refused or not
 * answered within 5 s), the accepted client connection is reset.
 *
 * <h2>Threads and lifecycle</h2>
 * Plain blocking sockets: one daemon thread accepts, and each connection has two daemon threads,
 * one per direction. Every method is thread-safe. {@link #close()} stops accepting, resets every
 * connection and returns within about a second, with every thread of the proxy ended.
 *
 * <p>Counters ({@link #acceptedConnections()}, {@link #openConnections()},
 * {@link #bytesToServer()}, {@link #bytesToClient()}) count from start or from the last
 * {@link #resetCounters()}.
 *
 * @see FaultProxyExtension for use from JUnit 5
 */
public final class FaultProxy implements AutoCloseable {

    /** What happens to connections, beyond latency and bandwidth. */
    public enum Mode {
        /** Connections are accepted and bytes forwarded. */
        PASS_THROUGH,
        /** New connects are refused (nothing listens on the port); open connections carry on. */
        REFUSE,
        /** New connections are accepted but nothing is forwarded, on any connection, either way. */
        BLACKHOLE
    }

    /** A direction of traffic. */
    public enum Direction {
        /** From the client (the pool, the driver) to the server (the database): requests. */
        TO_SERVER,
        /** From the server to the client: responses, result sets, greetings. */
        TO_CLIENT
    }

    /** Per-direction shaping. Immutable. */
    private record Shaping(long latencyNanos, long jitterNanos, long bytesPerSecond) {
        static final Shaping NONE = new Shaping(0, 0, 0);

        /** The delay of one chunk, given its sample {@code u} in [-1, 1]. */
        long delayNanos(double u) {
            if (jitterNanos == 0) {
                return latencyNanos;
            }
            return Math.max(0, latencyNanos + (long) (u * jitterNanos));
        }
    }

    private static final int BUFFER_SIZE = 16 * 1024;
    private static final int UPSTREAM_CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final long CLOSE_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(900);
    private static final long REBIND_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final AtomicInteger IDS = new AtomicInteger();

    private final InetSocketAddress target;
    private final InetAddress bindAddress;
    private final int port;
    private final String name;
    private final Thread acceptor;
    private final AtomicInteger linkIds = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong bytesToServer = new AtomicLong();
    private final AtomicLong bytesToClient = new AtomicLong();

    /** Guards every field below; waited on by connection threads for mode and shaping changes. */
    private final Object lock = new Object();
    private ServerSocket listener; // null while refusing and after close
    /** The listener the acceptor is blocked on, if any (see {@link #setModeLocked}). */
    private ServerSocket acceptingOn;
    private Mode mode = Mode.PASS_THROUGH;
    private Shaping toServer = Shaping.NONE;
    private Shaping toClient = Shaping.NONE;
    private boolean closed;
    private final Set<Link> links = new LinkedHashSet<>();

    private FaultProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.bindAddress = InetAddress.getLoopbackAddress();
        this.listener = bind(0);
        this.port = listener.getLocalPort();
        this.name = "fault-proxy-" + IDS.incrementAndGet() + "-" + port;
        this.acceptor = new Thread(this::acceptLoop, name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Starts a proxy in pass-through mode on the loopback address, on an ephemeral port,
     * forwarding to {@code targetHost:targetPort}.
     *
     * @throws IOException if no port can be bound
     */
    public static FaultProxy start(String targetHost, int targetPort) throws IOException {
        Objects.requireNonNull(targetHost, "targetHost");
        if (targetPort <= 0 || targetPort > 65_535) {
            throw new IllegalArgumentException("targetPort=" + targetPort + " must be 1-65535");
        }
        return new FaultProxy(new InetSocketAddress(targetHost, targetPort));
    }

    /** Starts a proxy in pass-through mode forwarding to {@code target}; see {@link #start(String, int)}. */
    public static FaultProxy start(InetSocketAddress target) throws IOException {
        Objects.requireNonNull(target, "target");
        return new FaultProxy(target);
    }

    /** The address clients connect to, as a literal for URLs: {@code 127.0.0.1} (or {@code [::1]}). */
    public String host() {
        String h = bindAddress.getHostAddress();
        return h.indexOf(':') >= 0 ? "[" + h + "]" : h;
    }

    /** The port clients connect to. It never changes, also across {@link #refuse()}. */
    public int port() {
        return port;
    }

    /** {@link #host()}{@code :}{@link #port()}, for URLs: {@code "jdbc:postgresql://" + proxy.hostAndPort() + "/db"}. */
    public String hostAndPort() {
        return host() + ":" + port;
    }

    /** The address the proxy forwards to. */
    public InetSocketAddress target() {
        return target;
    }

    // ------------------------------------------------------------------------------------------
    // Faults

    /** The current mode. */
    public Mode mode() {
        synchronized (lock) {
            return mode;
        }
    }

    /**
     * Clears every fault: pass-through mode (listening again if it was refusing), no latency, no
     * bandwidth limit. Held bytes are released at once. Counters are kept.
     *
     * @return this proxy
     * @throws UncheckedIOException if the port could not be bound again after {@link #refuse()}
     */
    public FaultProxy passThrough() {
        synchronized (lock) {
            toServer = Shaping.NONE;
            toClient = Shaping.NONE;
            setModeLocked(Mode.PASS_THROUGH);
        }
        return this;
    }

    /**
     * Sets the mode, leaving latency and bandwidth as they are.
     *
     * @return this proxy
     * @throws UncheckedIOException if the port could not be bound again after {@link #refuse()}
     */
    public FaultProxy mode(Mode newMode) {
        Objects.requireNonNull(newMode, "mode");
        synchronized (lock) {
            setModeLocked(newMode);
        }
        return this;
    }

    /** New connects are refused (the port is closed); open connections carry on. Same as {@code mode(Mode.REFUSE)}. */
    public FaultProxy refuse() {
        return mode(Mode.REFUSE);
    }

    /**
     * New connections are accepted but never reach the server, and nothing is forwarded on any
     * connection in either direction until the mode changes. Same as {@code mode(Mode.BLACKHOLE)}.
     */
    public FaultProxy blackhole() {
        return mode(Mode.BLACKHOLE);
    }

    /** The same fixed latency in both directions (no jitter); {@link Duration#ZERO} removes it. */
    public FaultProxy latency(Duration latency) {
        return latency(latency, Duration.ZERO);
    }

    /** The same latency and jitter in both directions. */
    public FaultProxy latency(Duration latency, Duration jitter) {
        latency(Direction.TO_SERVER, latency, jitter);
        return latency(Direction.TO_CLIENT, latency, jitter);
    }

    /**
     * Delays every chunk going in {@code direction} by {@code latency ± jitter} (uniformly
     * distributed, never below zero), keeping the order. Zero for both removes the delay.
     *
     * @throws IllegalArgumentException if either is negative
     */
    public FaultProxy latency(Direction direction, Duration latency, Duration jitter) {
        long l = nonNegativeNanos("latency", latency);
        long j = nonNegativeNanos("jitter", jitter);
        synchronized (lock) {
            Shaping s = shaping(direction);
            setShaping(direction, new Shaping(l, j, s.bytesPerSecond()));
            lock.notifyAll();
        }
        return this;
    }

    /** The same bandwidth limit in both directions; 0 removes it. */
    public FaultProxy bandwidth(long bytesPerSecond) {
        bandwidth(Direction.TO_SERVER, bytesPerSecond);
        return bandwidth(Direction.TO_CLIENT, bytesPerSecond);
    }

    /**
     * Limits every connection to {@code bytesPerSecond} in {@code direction}; 0 removes the limit.
     *
     * @throws IllegalArgumentException if negative
     */
    public FaultProxy bandwidth(Direction direction, long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond=" + bytesPerSecond + " must be 0 (unlimited) or positive");
        }
        synchronized (lock) {
            Shaping s = shaping(direction);
            setShaping(direction, new Shaping(s.latencyNanos(), s.jitterNanos(), bytesPerSecond));
            lock.notifyAll();
        }
        return this;
    }

    /**
     * Aborts every open connection with a TCP RST to both the client and the server
     * ({@code SO_LINGER} 0). The mode is unchanged: new connections are handled as before.
     *
     * @return the number of connections reset
     */
    public int resetAll() {
        List<Link> victims;
        synchronized (lock) {
            victims = new ArrayList<>(links);
        }
        for (Link l : victims) {
            l.kill(true);
        }
        return victims.size();
    }

    // ------------------------------------------------------------------------------------------
    // Counters

    /** Connections accepted (including those accepted while blackholing). */
    public long acceptedConnections() {
        return accepted.get();
    }

    /** Connections open now: accepted and not yet closed or reset. */
    public int openConnections() {
        synchronized (lock) {
            return links.size();
        }
    }

    /** Bytes delivered from clients to the server. */
    public long bytesToServer() {
        return bytesToServer.get();
    }

    /** Bytes delivered from the server to clients. */
    public long bytesToClient() {
        return bytesToClient.get();
    }

    /** Sets {@link #acceptedConnections()} and the byte counters back to zero. */
    public FaultProxy resetCounters() {
        accepted.set(0);
        bytesToServer.set(0);
        bytesToClient.set(0);
        return this;
    }

    // ------------------------------------------------------------------------------------------
    // Lifecycle

    /**
     * Stops accepting, resets every open connection and waits (about a second at most) for the
     * proxy's threads to end. Idempotent.
     */
    @Override
    public void close() {
        List<Link> victims;
        ServerSocket l;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            l = listener;
            listener = null;
            victims = new ArrayList<>(links);
            lock.notifyAll();
        }
        closeQuietly(l);
        for (Link link : victims) {
            link.kill(true);
        }
        long deadline = System.nanoTime() + CLOSE_BUDGET_NANOS;
        join(acceptor, deadline);
        for (Link link : victims) {
            join(link.up, deadline);
            join(link.down, deadline);
        }
    }

    /** Whether {@link #close()} has run. */
    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "FaultProxy[" + hostAndPort() + " -> " + target.getHostString() + ":" + target.getPort() + ", " + mode
                    + (toServer.equals(Shaping.NONE) ? "" : ", toServer=" + toServer)
                    + (toClient.equals(Shaping.NONE) ? "" : ", toClient=" + toClient)
                    + ", open=" + links.size() + ", accepted=" + accepted.get() + (closed ? ", closed" : "") + "]";
        }
    }

    // ------------------------------------------------------------------------------------------
    // Internals

    private Shaping shaping(Direction d) {
        return d == Direction.TO_SERVER ? toServer : toClient;
    }

    private void setShaping(Direction d, Shaping s) {
        if (d == Direction.TO_SERVER) {
            toServer = s;
        } else {
            toClient = s;
        }
    }

    /** Caller holds {@link #lock}. */
    private void setModeLocked(Mode newMode) {
        if (closed) {
            mode = newMode;
            return;
        }
        if (newMode == Mode.REFUSE) {
            ServerSocket l = listener;
            listener = null;
            mode = newMode;
            lock.notifyAll();
            closeQuietly(l); // pending, not yet accepted connects are reset by the kernel
            // A socket closed while another thread is blocked in accept() is only really closed
            // (and connects refused) once that thread has left accept(): wait for it, so that
            // a connect made after refuse() returns is refused for certain.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (l != null && acceptingOn == l && System.nanoTime() - deadline < 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, deadline - System.nanoTime());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return; // (if another thread changed the mode meanwhile, its change stands)
        } else if (listener == null) {
            try {
                listener = bind(port);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on " + hostAndPort() + " again", e);
            }
        }
        mode = newMode;
        lock.notifyAll();
    }

    private ServerSocket bind(int onPort) throws IOException {
        long deadline = System.nanoTime() + REBIND_BUDGET_NANOS;
        for (;;) {
            ServerSocket s = new ServerSocket();
            try {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(bindAddress, onPort), 128);
                return s;
            } catch (BindException e) {
                closeQuietly(s);
                if (onPort == 0 || System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                sleepQuietly(20);
            } catch (IOException | RuntimeException e) {
                closeQuietly(s);
                throw e;
            }
        }
    }

    private void acceptLoop() {
        for (;;) {
            ServerSocket l;
            synchronized (lock) {
                while (!closed && listener == null) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // our own daemon thread: only close() ends it
                    }
                }
                if (closed) {
                    return;
                }
                l = listener;
                acceptingOn = l;
            }
            Socket client;
            try {
                client = l.accept();
            } catch (IOException e) {
                boolean transientFailure;
                synchronized (lock) {
                    acceptingOn = null;
                    lock.notifyAll();
                    if (closed) {
                        return;
                    }
                    transientFailure = listener == l; // else: closed by refuse(), go round and wait
                }
                if (transientFailure) {
                    sleepQuietly(10); // e.g. out of file descriptors: do not spin
                }
                continue;
            }
            Link link = new Link(client);
            boolean keep;
            boolean raced;
            synchronized (lock) {
                acceptingOn = null;
                lock.notifyAll();
                // accepted in the instant refuse() or close() closed the listener: refused after all
                raced = listener != l;
                keep = !closed && !raced;
                if (keep) {
                    links.add(link);
                }
            }
            if (!keep) {
                hardClose(client);
                if (isClosed()) {
                    return;
                }
                continue;
            }
            accepted.incrementAndGet();
            link.start();
        }
    }

    /** One proxied connection: the client socket, the server socket and a thread per direction. */
    private final class Link {
        private final Socket client;
        private final Socket server = new Socket();
        private final String linkName;
        private volatile Thread up;
        private volatile Thread down;
        /** Guarded by {@link FaultProxy#lock}. */
        private boolean dead;
        private int endsOfStream;

        Link(Socket client) {
            this.client = client;
            this.linkName = name + "-" + linkIds.incrementAndGet();
        }

        void start() {
            Thread t = new Thread(this::runUp, linkName + "-to-server");
            t.setDaemon(true);
            up = t;
            t.start();
        }

        /** Connects to the server (once not blackholed), starts the other direction, then pumps this one. */
        private void runUp() {
            if (!await(() -> System.nanoTime())) {
                return;
            }
            try {
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                server.connect(target, UPSTREAM_CONNECT_TIMEOUT_MILLIS);
            } catch (IOException e) {
                kill(true);
                return;
            }
            Thread t = new Thread(() -> pump(server, client, Direction.TO_CLIENT, bytesToClient), linkName + "-to-client");
            t.setDaemon(true);
            down = t;
            t.start();
            pump(client, server, Direction.TO_SERVER, bytesToServer);
        }

        private void pump(Socket from, Socket to, Direction direction, AtomicLong counter) {
            byte[] buf = new byte[BUFFER_SIZE];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (;;) {
                    int n = in.read(buf);
                    long readAt = System.nanoTime();
                    double u = ThreadLocalRandom.current().nextDouble(-1.0, 1.0);
                    if (!await(() -> {
                        long delay = shaping(direction).delayNanos(u);
                        return readAt + delay;
                    })) {
                        return;
                    }
                    if (n < 0) {
                        to.shutdownOutput();
                        endOfStream();
                        return;
                    }
                    if (!write(out, buf, n, direction, counter)) {
                        return;
                    }
                }
            } catch (IOException e) {
                kill(true); // a reset or error on one side is passed on as a reset to the other
            }
        }

        /** Writes {@code n} bytes, in slices paced by the bandwidth limit. False if the link died meanwhile. */
        private boolean write(OutputStream out, byte[] buf, int n, Direction direction, AtomicLong counter) throws IOException {
            int off = 0;
            long nextFree = System.nanoTime();
            while (off < n) {
                long rate;
                synchronized (lock) {
                    rate = shaping(direction).bytesPerSecond();
                }
                int slice = n - off;
                if (rate > 0) {
                    slice = (int) Math.max(1, Math.min(slice, rate / 20)); // at most 50 ms worth at once
                    long start = Math.max(System.nanoTime(), nextFree);
                    long due = start + (long) (slice * 1e9 / rate);
                    nextFree = due;
                    if (!await(() -> shaping(direction).bytesPerSecond() > 0 ? due : System.nanoTime())) {
                        return false;
                    }
                }
                counter.addAndGet(slice); // before the write: a reader that got the bytes sees them counted
                out.write(buf, off, slice);
                off += slice;
            }
            out.flush();
            return true;
        }

        /**
         * Waits until the proxy is not blackholing and {@code dueNanos} (re-evaluated on every
         * change of settings) has passed. False if the link died or the proxy closed meanwhile.
         */
        private boolean await(LongSupplier dueNanos) {
            synchronized (lock) {
                for (;;) {
                    if (dead || closed) {
                        return false;
                    }
                    try {
                        if (mode == Mode.BLACKHOLE) {
                            lock.wait();
                            continue;
                        }
                        long wait = dueNanos.getAsLong() - System.nanoTime();
                        if (wait <= 0) {
                            return true;
                        }
                        TimeUnit.NANOSECONDS.timedWait(lock, wait);
                    } catch (InterruptedException e) {
                        // our own daemon thread: kill() and close() end it by setting dead/closed
                    }
                }
            }
        }

        private void endOfStream() {
            boolean both;
            synchronized (lock) {
                both = ++endsOfStream == 2;
            }
            if (both) {
                kill(false);
            }
        }

        /** Closes both sockets, with a RST if {@code reset}, and forgets the link. Idempotent. */
        void kill(boolean reset) {
            synchronized (lock) {
                if (dead) {
                    return;
                }
                dead = true;
                links.remove(this);
                lock.notifyAll();
            }
            if (reset) {
                hardClose(client);
                hardClose(server);
            } else {
                closeQuietly(client);
                closeQuietly(server);
            }
        }
    }

    private static long nonNegativeNanos(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + "=" + d + " must not be negative");
        }
        return d.toNanos();
    }

    private static void join(Thread t, long deadlineNanos) {
        if (t == null) {
            return;
        }
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.timedJoin(t, left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes with {@code SO_LINGER} 0, so the peer gets a RST instead of a FIN. */
    private static void hardClose(Socket s) {
        try {
            if (!s.isClosed()) {
                s.setSoLinger(true, 0);
            }
        } catch (SocketException ignored) {
            // not connected or already closed: a plain close is all that is left
        }
        closeQuietly(s);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // closing a socket we own; nothing useful to do with a failure
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
