package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SilentServerTest {

    @Test
    void acceptsConnectionsAndNeverAnswers() throws Exception {
        try (SilentServer server = SilentServer.start(); Socket client = new Socket()) {
            client.connect(new InetSocketAddress(server.host(), server.port()), 1000);
            client.getOutputStream().write("hello?".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            client.setSoTimeout(300);
            InputStream in = client.getInputStream();
            assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
            awaitAccepted(server, 1);
        }
    }

    @Test
    void countsEveryAcceptedConnection() throws Exception {
        try (SilentServer server = SilentServer.start()) {
            Socket[] clients = new Socket[3];
            try {
                for (int i = 0; i < clients.length; i++) {
                    clients[i] = new Socket(server.host(), server.port());
                }
                awaitAccepted(server, 3);
            } finally {
                for (Socket c : clients) {
                    if (c != null) {
                        c.close();
                    }
                }
            }
        }
    }

    @Test
    void closeReleasesClientsBlockedOnARead() throws Exception {
        SilentServer server = SilentServer.start();
        try (Socket client = new Socket(server.host(), server.port())) {
            awaitAccepted(server, 1);
            client.setSoTimeout(5000);
            server.close();
            long start = System.nanoTime();
            int r;
            try {
                r = client.getInputStream().read();
            } catch (IOException reset) {
                r = -1; // a reset is as good as end-of-stream: the client is not left hanging
            }
            assertThat(r).isEqualTo(-1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(4000);
        }
    }

    @Test
    void refusesConnectionsAfterCloseAndCloseIsIdempotent() throws Exception {
        SilentServer server = SilentServer.start();
        int port = server.port();
        server.close();
        server.close();
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            }
        }).isInstanceOf(IOException.class);
    }

    private static void awaitAccepted(SilentServer server, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.acceptedConnections() < n && System.nanoTime() - deadline < 0) {
            Thread.sleep(5);
        }
        assertThat(server.acceptedConnections()).isEqualTo(n);
    }
}
