package dev.sluice.bench;

import dev.sluice.PoolListener;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import dev.sluice.bench.stub.StubDriver;
import dev.sluice.console.SluiceConsole;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a running console costs the pool it watches: the distribution of getConnection (SampleTime:
 * p50, p99, p99.9) over the stub driver, 2 threads on a pool of 16, with no console and with a
 * console attached that one live (SSE) client is reading, so the console samples the pool and
 * writes a tick every second while the borrows run. The close runs in an invocation-level
 * tear-down, outside the timed region, as in {@link ContentionBenchmark#acquire}.
 *
 * <p>The console registers a listener that does not observe borrows, so the pool keeps timing only
 * a sample of borrows. {@code emptyListener} is a listener that keeps the default (it observes
 * borrows: every borrow is timed, two clock reads, and reported to it), for contrast: it is what
 * the console cost before it declared that it does not observe borrows.
 *
 * <pre>java -jar sluice-bench/target/benchmarks.jar ConsoleCostBenchmark</pre>
 */
@State(Scope.Benchmark)
@Threads(2)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 10, time = 1)
public class ConsoleCostBenchmark {
    /** none; a listener that overrides nothing (what any listener costs); attached: a console and one live client. */
    @Param({"none", "emptyListener", "attached"})
    public String console;

    private SluiceDataSource ds;
    private SluiceConsole running;
    private Thread reader;
    /** Bytes the live client has read; checked at tear-down so a silent stream cannot pass as "attached". */
    private final AtomicLong streamed = new AtomicLong();

    @Setup(Level.Trial)
    public void start() throws Exception {
        ds = new SluiceDataSource(SluiceConfig.builder().poolName("bench-console-" + console).jdbcUrl(StubDriver.URL)
                .maximumPoolSize(16).minimumIdle(16).build());
        if (console.equals("emptyListener")) {
            ds.addListener(new PoolListener() { });
        } else if (console.equals("attached")) {
            running = SluiceConsole.builder().port(0).register(ds).start();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest live = HttpRequest.newBuilder(running.url().resolve("/api/live"))
                    .header("Authorization", "Bearer " + running.token()).build();
            HttpResponse<InputStream> response = client.send(live, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the console's live stream answered " + response.statusCode());
            }
            reader = new Thread(() -> read(response.body()), "bench-sse-client");
            reader.setDaemon(true);
            reader.start();
        }
    }

    private void read(InputStream in) {
        byte[] buf = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                streamed.addAndGet(n);
            }
        } catch (IOException closed) {
            // The console was closed at tear-down.
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (running != null) {
            long bytes = streamed.get();
            running.close();
            if (bytes == 0) {
                throw new IllegalStateException("the live client read nothing: the console was not really attached");
            }
        }
        ds.close();
    }

    @Benchmark
    public Connection acquire(Held held) throws SQLException {
        Connection c = ds.getConnection();
        held.connection = c;
        return c;
    }

    /** The connection {@link #acquire} borrowed, returned outside the timed region. */
    @State(Scope.Thread)
    public static class Held {
        Connection connection;

        @TearDown(Level.Invocation)
        public void release() throws SQLException {
            connection.close();
            connection = null;
        }
    }
}
