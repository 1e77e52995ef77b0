package dev.sluice.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A blackholed database: a TCP server on the loopback address that accepts every connection and
 * never answers. Nothing is read and nothing is written; the accepted sockets are held open until
 * {@link #close()}. A driver that connects to it completes the TCP handshake and then waits for a
 * greeting (or a reply to its own) that never comes, exactly as behind a firewall that drops
 * packets after the handshake, or in front of a frozen server. Use it to check that a connect
 * honours its deadline instead of hanging.
 *
 * <pre>{@code
 * try (SilentServer blackhole = SilentServer.start()) {
 *     SluiceConfig config = SluiceConfig.builder()
 *             .jdbcUrl("jdbc:postgresql://127.0.0.1:" + blackhole.port() + "/app")
 *             .connectionTimeout(Duration.ofSeconds(1))
 *             .build();
 *     long start = System.nanoTime();
 *     assertThrows(SQLException.class, () -> new SluiceDataSource(config)); // within ~1 s, no hang
 *     assertTrue(blackhole.acceptedConnections() > 0);                     // the driver did reach it
 * }
 * }</pre>
 *
 * <p>The accept loop runs on one daemon thread, so a server that is never closed does not keep
 * the JVM alive. Thread-safe.
 */
public final class SilentServer implements AutoCloseable {
    private final ServerSocket server;
    private final Thread acceptor;
    private final AtomicInteger accepted = new AtomicInteger();
    /** Guarded by {@code this}: the sockets held open, and whether {@link #close()} has run. */
    private final List<Socket> held = new ArrayList<>();
    private boolean closed;

    private SilentServer() throws IOException {
        server = new ServerSocket();
        try {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        acceptor = new Thread(this::acceptLoop, "silent-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a server on the loopback address, on an ephemeral port. */
    public static SilentServer start() throws IOException {
        return new SilentServer();
    }

    /** The port it listens on, on the loopback address ({@link #host()}). */
    public int port() {
        return server.getLocalPort();
    }

    /** The address it listens on, as a literal for URLs: {@code 127.0.0.1} (or {@code ::1} on an IPv6-only host). */
    public String host() {
        InetAddress a = server.getInetAddress();
        String h = a.getHostAddress();
        return h.indexOf(':') >= 0 ? "[" + h + "]" : h;
    }

    /** Connections accepted since start (each counted once, including those since closed by their client). */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** Stops accepting and closes every accepted socket: clients blocked on a read see end-of-stream. Idempotent. */
    @Override
    public void close() {
        List<Socket> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(held);
            held.clear();
        }
        closeQuietly(server);
        for (Socket s : toClose) {
            closeQuietly(s);
        }
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "SilentServer[" + host() + ":" + port() + ", accepted=" + accepted.get() + "]";
    }

    private void acceptLoop() {
        for (;;) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (isClosed()) {
                    return;
                }
                pause(); // e.g. out of file descriptors: do not spin
                continue;
            }
            accepted.incrementAndGet();
            boolean keep;
            synchronized (this) {
                keep = !closed;
                if (keep) {
                    held.add(s);
                }
            }
            if (!keep) {
                closeQuietly(s);
                return;
            }
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException ignored) {
            // our own daemon thread: an interrupt has no meaning here (only close() stops it)
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing a socket we own; nothing useful to do with a failure
        }
    }
}
