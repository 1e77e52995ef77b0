package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testkit.FaultProxy.Direction;
import dev.sluice.testkit.FaultProxy.Mode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 15, unit = TimeUnit.SECONDS)
class FaultProxyTest {
    private EchoServer echo;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new EchoServer();
        proxy = FaultProxy.start(echo.address());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void passesBytesThroughAndCountsThem() throws Exception {
        try (Client c = new Client(proxy)) {
            assertThat(c.roundTrip("hello")).isEqualTo("hello");
            assertThat(c.roundTrip("again")).isEqualTo("again");
            assertThat(proxy.mode()).isEqualTo(Mode.PASS_THROUGH);
            assertThat(proxy.acceptedConnections()).isEqualTo(1);
            assertThat(proxy.openConnections()).isEqualTo(1);
            assertThat(proxy.bytesToServer()).isEqualTo(10);
            assertThat(proxy.bytesToClient()).isEqualTo(10);
            assertThat(proxy.host()).isIn("127.0.0.1", "[::1]");
            assertThat(proxy.hostAndPort()).endsWith(":" + proxy.port());
        }
        awaitTrue(() -> proxy.openConnections() == 0, "the closed connection is forgotten");
        proxy.resetCounters();
        assertThat(proxy.acceptedConnections()).isZero();
        assertThat(proxy.bytesToServer()).isZero();
    }

    @Test
    void halfCloseIsPassedOn() throws Exception {
        try (Client c = new Client(proxy)) {
            c.send("bye");
            c.socket.shutdownOutput();
            assertThat(c.read(3, 2000)).isEqualTo("bye");
            assertThat(c.socket.getInputStream().read()).isEqualTo(-1); // the echo server closed after our FIN
        }
        awaitTrue(() -> echo.ended() == 1 && proxy.openConnections() == 0, "both sides closed");
    }

    @Test
    void latencyDelaysEachDirectionAndClearingItReleasesHeldBytes() throws Exception {
        try (Client c = new Client(proxy)) {
            proxy.latency(Direction.TO_SERVER, Duration.ofMillis(200), Duration.ZERO);
            assertThat(c.timedRoundTrip("a")).isBetween(190L, 1500L);
            proxy.latency(Direction.TO_SERVER, Duration.ZERO, Duration.ZERO).latency(Direction.TO_CLIENT, Duration.ofMillis(200), Duration.ZERO);
            assertThat(c.timedRoundTrip("b")).isBetween(190L, 1500L);
            proxy.latency(Duration.ofMillis(150));
            assertThat(c.timedRoundTrip("c")).isBetween(290L, 2000L);
            proxy.latency(Duration.ofMillis(100), Duration.ofMillis(50));
            for (int i = 0; i < 3; i++) {
                assertThat(c.timedRoundTrip("j")).isBetween(90L, 1500L); // two chunks of 50–150 ms each
            }

            proxy.latency(Duration.ofSeconds(30));
            c.send("held");
            Thread.sleep(100);
            long start = System.nanoTime();
            proxy.passThrough();
            assertThat(c.read(4, 2000)).isEqualTo("held");
            assertThat(millisSince(start)).isLessThan(1000);
        }
        assertThatThrownBy(() -> proxy.latency(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refuseClosesThePortForNewConnectsOnlyAndTheSamePortComesBack() throws Exception {
        int port = proxy.port();
        try (Client before = new Client(proxy)) {
            assertThat(before.roundTrip("x")).isEqualTo("x");
            proxy.refuse();
            assertThat(proxy.mode()).isEqualTo(Mode.REFUSE);
            long start = System.nanoTime();
            assertThatThrownBy(() -> new Client(proxy).close()).isInstanceOf(ConnectException.class);
            assertThat(millisSince(start)).isLessThan(1000);
            assertThat(before.roundTrip("still")).isEqualTo("still"); // open connections carry on

            proxy.passThrough();
            assertThat(proxy.port()).isEqualTo(port);
            try (Client after = new Client(proxy)) {
                assertThat(after.roundTrip("back")).isEqualTo("back");
            }
            // refuse, then straight to blackhole: listening again, on the same port
            proxy.refuse().blackhole();
            try (Client held = new Client(proxy)) {
                assertThat(held.socket.getPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void blackholeHoldsBytesOnOpenAndNewConnectionsUntilRestored() throws Exception {
        try (Client open = new Client(proxy)) {
            assertThat(open.roundTrip("1")).isEqualTo("1");
            long receivedBefore = echo.received();
            proxy.blackhole();
            open.send("2");
            assertThatThrownBy(() -> open.read(1, 300)).isInstanceOf(SocketTimeoutException.class);

            try (Client fresh = new Client(proxy)) { // the handshake completes: TCP accepted
                fresh.send("3");
                assertThatThrownBy(() -> fresh.read(1, 300)).isInstanceOf(SocketTimeoutException.class);
                assertThat(proxy.acceptedConnections()).isEqualTo(2);
                assertThat(echo.accepted()).isEqualTo(1); // never reached the server
                assertThat(echo.received()).isEqualTo(receivedBefore); // nothing delivered, either way

                proxy.passThrough();
                assertThat(open.read(1, 2000)).isEqualTo("2"); // held, not dropped
                assertThat(fresh.read(1, 2000)).isEqualTo("3");
                assertThat(echo.accepted()).isEqualTo(2);
            }
        }
    }

    @Test
    void blackholeAlsoHoldsResponsesAlreadyOnTheirWay() throws Exception {
        try (Client c = new Client(proxy)) {
            assertThat(c.roundTrip("warm")).isEqualTo("warm");
            proxy.latency(Direction.TO_CLIENT, Duration.ofMillis(300), Duration.ZERO);
            c.send("late");
            Thread.sleep(100); // the echo is now held by the latency, inside the proxy
            proxy.blackhole().latency(Duration.ZERO);
            assertThatThrownBy(() -> c.read(4, 400)).isInstanceOf(SocketTimeoutException.class);
            proxy.mode(Mode.PASS_THROUGH);
            assertThat(c.read(4, 2000)).isEqualTo("late");
        }
    }

    @Test
    void resetAllSendsResetsToBothSidesAndNewConnectionsStillWork() throws Exception {
        try (Client a = new Client(proxy); Client b = new Client(proxy)) {
            assertThat(a.roundTrip("a")).isEqualTo("a");
            assertThat(b.roundTrip("b")).isEqualTo("b");
            assertThat(proxy.resetAll()).isEqualTo(2);
            assertThatThrownBy(() -> a.socket.getInputStream().read()).isInstanceOf(SocketException.class)
                    .hasMessageContaining("reset");
            awaitTrue(() -> echo.ended() == 2, "the server side was reset too");
            awaitTrue(() -> proxy.openConnections() == 0, "no connection left open");
        }
        try (Client c = new Client(proxy)) {
            assertThat(c.roundTrip("ok")).isEqualTo("ok");
        }
    }

    @Test
    void resetAllEndsConnectionsHeldByABlackhole() throws Exception {
        proxy.blackhole();
        try (Client c = new Client(proxy)) {
            awaitTrue(() -> proxy.openConnections() == 1, "accepted");
            assertThat(proxy.resetAll()).isEqualTo(1);
            c.socket.setSoTimeout(2000);
            assertThatThrownBy(() -> c.socket.getInputStream().read()).isInstanceOf(SocketException.class);
        }
        assertThat(echo.accepted()).isZero();
    }

    @Test
    void bandwidthLimitsEachDirection() throws Exception {
        byte[] payload = new byte[10_000];
        Arrays.fill(payload, (byte) 'z');
        try (Client c = new Client(proxy)) {
            proxy.bandwidth(Direction.TO_CLIENT, 20_000);
            long start = System.nanoTime();
            c.socket.getOutputStream().write(payload);
            c.readBytes(payload.length, 5000);
            assertThat(millisSince(start)).isBetween(400L, 3000L); // 10 kB at 20 kB/s: ~0.5 s

            proxy.bandwidth(Direction.TO_CLIENT, 0).bandwidth(Direction.TO_SERVER, 20_000);
            start = System.nanoTime();
            c.socket.getOutputStream().write(payload);
            c.readBytes(payload.length, 5000);
            assertThat(millisSince(start)).isBetween(400L, 3000L);

            proxy.passThrough();
            start = System.nanoTime();
            c.socket.getOutputStream().write(payload);
            c.readBytes(payload.length, 5000);
            assertThat(millisSince(start)).isLessThan(400L);
        }
        assertThatThrownBy(() -> proxy.bandwidth(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTargetThatIsDownResetsTheClient() throws Exception {
        int deadPort;
        try (EchoServer gone = new EchoServer()) {
            deadPort = gone.port();
        }
        try (FaultProxy toNowhere = FaultProxy.start("127.0.0.1", deadPort)) {
            int r;
            try (Client c = new Client(toNowhere)) {
                c.socket.setSoTimeout(3000);
                r = c.socket.getInputStream().read();
            } catch (java.net.ConnectException proxyNotListening) {
                throw proxyNotListening; // not the reset this test is about
            } catch (SocketException reset) {
                // The reset may arrive as early as the client's socket set-up (setTcpNoDelay failed so in CI).
                r = -1;
            }
            assertThat(r).isEqualTo(-1);
        }
    }

    @Test
    void closeStopsEverythingWithinASecond() throws Exception {
        Client open = new Client(proxy);
        Client held;
        try {
            assertThat(open.roundTrip("x")).isEqualTo("x");
            proxy.latency(Duration.ofSeconds(30));
            open.send("stuck");
            proxy.blackhole();
            held = new Client(proxy);
            awaitTrue(() -> proxy.openConnections() == 2, "both accepted");

            long start = System.nanoTime();
            proxy.close();
            assertThat(millisSince(start)).isLessThan(1000);
            assertThat(proxy.isClosed()).isTrue();
            String marker = "-" + proxy.port() + "-";
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().contains(marker) && t.isAlive());
            open.socket.setSoTimeout(2000);
            assertThatThrownBy(() -> open.socket.getInputStream().read()).isInstanceOf(SocketException.class);
            proxy.close(); // idempotent
            assertThatThrownBy(() -> new Client(proxy).close()).isInstanceOf(ConnectException.class);
        } finally {
            open.close();
        }
        held.close();
    }

    @Test
    void closeWhileRefusingAndSettersAfterClose() throws Exception {
        proxy.refuse();
        long start = System.nanoTime();
        proxy.close();
        assertThat(millisSince(start)).isLessThan(1000);
        proxy.passThrough(); // harmless after close: nothing listens again
        assertThatThrownBy(() -> new Client(proxy).close()).isInstanceOf(ConnectException.class);
        assertThat(proxy.toString()).contains("closed");
    }

    // ------------------------------------------------------------------------------------------

    static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    /** A blocking client of the proxy. */
    static final class Client implements AutoCloseable {
        final Socket socket = new Socket();

        Client(FaultProxy proxy) throws IOException {
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 1000);
                socket.setTcpNoDelay(true);
            } catch (IOException e) {
                socket.close();
                throw e;
            }
        }

        void send(String s) throws IOException {
            socket.getOutputStream().write(s.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        }

        String read(int n, int timeoutMillis) throws IOException {
            return new String(readBytes(n, timeoutMillis), StandardCharsets.US_ASCII);
        }

        byte[] readBytes(int n, int timeoutMillis) throws IOException {
            socket.setSoTimeout(timeoutMillis);
            byte[] b = new byte[n];
            InputStream in = socket.getInputStream();
            int off = 0;
            while (off < n) {
                int r = in.read(b, off, n - off);
                if (r < 0) {
                    throw new IOException("end of stream after " + off + " of " + n + " bytes");
                }
                off += r;
            }
            return b;
        }

        String roundTrip(String s) throws IOException {
            send(s);
            return read(s.length(), 2000);
        }

        long timedRoundTrip(String s) throws IOException {
            long start = System.nanoTime();
            assertThat(roundTrip(s)).isEqualTo(s);
            return millisSince(start);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
