package dev.sluice.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A tiny TCP echo server on the loopback address, for the proxy's tests. */
final class EchoServer implements AutoCloseable {
    private final ServerSocket server;
    private final Thread acceptor;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();
    private final AtomicLong received = new AtomicLong();
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    EchoServer() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        acceptor = new Thread(this::acceptLoop, "echo-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections accepted. */
    int accepted() {
        return accepted.get();
    }

    /** Connections whose handler ended (end of stream, reset or error). */
    int ended() {
        return ended.get();
    }

    /** Bytes received from all clients. */
    long received() {
        return received.get();
    }

    private void acceptLoop() {
        for (;;) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            Thread t = new Thread(() -> echo(s), "echo-" + accepted.get());
            t.setDaemon(true);
            synchronized (this) {
                sockets.add(s);
                threads.add(t);
            }
            t.start();
        }
    }

    private void echo(Socket s) {
        byte[] buf = new byte[8192];
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (int n; (n = in.read(buf)) >= 0;) {
                received.addAndGet(n);
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // reset by the peer: the test looks at ended()
        } finally {
            ended.incrementAndGet();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        List<Socket> toClose;
        List<Thread> toJoin;
        synchronized (this) {
            toClose = new ArrayList<>(sockets);
            toJoin = new ArrayList<>(threads);
        }
        for (Socket s : toClose) {
            s.close();
        }
        try {
            acceptor.join(1000);
            for (Thread t : toJoin) {
                t.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
