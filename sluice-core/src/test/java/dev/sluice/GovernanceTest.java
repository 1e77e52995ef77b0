package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.stub.StubDatabase;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.management.Attribute;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Listener SPI, nested-acquisition detection, abandon reclaim, JFR events, JMX and secrecy. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GovernanceTest {
    private static final String SECRET = "tr0ub4dor-and-3";
    private final StubDatabase db = StubDatabase.create();
    private final List<SluiceDataSource> pools = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Logger logger = Logger.getLogger("dev.sluice.Pool");
    private final List<LogRecord> logs = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logs.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        logger.addHandler(capture);
    }

    @AfterEach
    void cleanUp() {
        logger.removeHandler(capture);
        pools.forEach(SluiceDataSource::close);
        threads.shutdownNow();
    }

    private SluiceConfig.Builder config(String name) {
        return SluiceConfig.builder().jdbcUrl(db.url()).poolName(name + "-" + db.url().substring(10)).password(SECRET);
    }

    private SluiceDataSource pool(SluiceConfig.Builder b) throws SQLException {
        SluiceDataSource ds = new SluiceDataSource(b.build());
        pools.add(ds);
        return ds;
    }

    /** Records events as text, for assertions. */
    static final class RecordingListener implements PoolListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void connectionCreated(String poolName, Duration connectTime) {
            events.add("created");
        }

        @Override
        public void connectionAcquired(String poolName, long waitNanos) {
            events.add("acquired");
        }

        @Override
        public void connectionReturned(String poolName, long holdNanos) {
            events.add("returned");
        }

        @Override
        public void connectionClosed(String poolName, CloseReason reason) {
            events.add("closed:" + reason);
        }

        @Override
        public void acquireFailed(String poolName, FailureReason reason, Duration waited) {
            events.add("failed:" + reason);
        }

        @Override
        public void leakSuspected(LeakReport report) {
            events.add("leak:" + report.context());
        }

        @Override
        public void leakResolved(LeakReport report, Duration heldFor) {
            events.add("leak-resolved");
        }

        @Override
        public void resized(String poolName, int maximumPoolSize, int minimumIdle) {
            events.add("resized:" + maximumPoolSize);
        }
    }

    @Test
    void listenersSeeTheLifeOfConnections() throws Exception {
        RecordingListener l = new RecordingListener();
        SluiceDataSource ds = pool(config("listen").maximumPoolSize(1).listener(l));
        try (Connection c = ds.getConnection()) {
            assertThatThrownBy(() -> ds.getConnection(Duration.ofMillis(50))).isInstanceOf(SQLException.class);
        }
        ds.resize(2, 1);
        ds.close();
        assertThat(l.events).containsSubsequence("created", "acquired", "failed:ACQUIRE_TIMEOUT", "returned", "resized:2",
                "closed:POOL_CLOSED");
    }

    @Test
    void aThrowingListenerCannotBreakBorrowing() throws Exception {
        PoolListener broken = new PoolListener() {
            @Override
            public void connectionAcquired(String poolName, long waitNanos) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void connectionReturned(String poolName, long holdNanos) {
                throw new IllegalStateException("listener bug");
            }
        };
        SluiceDataSource ds = pool(config("throwing").maximumPoolSize(1).listener(broken));
        for (int i = 0; i < 3; i++) {
            try (Connection c = ds.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
        }
        assertThat(ds.stats().acquired()).isEqualTo(3);
        assertThat(logs).filteredOn(r -> r.getMessage().contains("listener")).hasSize(1);
    }

    @Test
    void nestedAcquisitionInFailModeThrowsAtOnceWithTheReason() throws Exception {
        SluiceDataSource ds = pool(config("nested-fail").maximumPoolSize(1).nestedAcquisition(NestedAcquisition.FAIL)
                .connectionTimeout(Duration.ofSeconds(10)));
        try (Connection outer = ds.getConnection()) {
            long start = System.nanoTime();
            assertThatThrownBy(ds::getConnection)
                    .isInstanceOf(SQLNonTransientConnectionException.class)
                    .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.NESTED_ACQUISITION))
                    .hasMessageContaining("already holds a connection").hasMessageContaining("deadlock");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
        }
        assertThat(ds.stats().nestedAcquisitions()).isEqualTo(1);
    }

    @Test
    void nestedAcquisitionInWarnModeNamesBothBorrowSites() throws Exception {
        SluiceDataSource ds = pool(config("nested-warn").maximumPoolSize(1).leakDetectionThreshold(Duration.ofMinutes(1)));
        try (Connection outer = firstBorrow(ds)) {
            assertThatThrownBy(() -> secondBorrow(ds)).isInstanceOf(SQLException.class);
        }
        LogRecord warning = logs.stream().filter(r -> r.getMessage().contains("already holds")).findFirst().orElseThrow();
        assertThat(warning.getMessage()).contains("GovernanceTest.firstBorrow").contains("GovernanceTest.secondBorrow");
    }

    private static Connection firstBorrow(SluiceDataSource ds) throws SQLException {
        return ds.getConnection();
    }

    private static Connection secondBorrow(SluiceDataSource ds) throws SQLException {
        return ds.getConnection(Duration.ofMillis(100));
    }

    @Test
    void flightRecorderEventsCanBeReadBack() throws Exception {
        Path file = Files.createTempFile("sluice", ".jfr");
        try (Recording r = new Recording()) {
            r.enable("dev.sluice.ConnectionCreated");
            r.enable("dev.sluice.ConnectionClosed");
            r.enable("dev.sluice.Acquire").withThreshold(Duration.ZERO);
            r.enable("dev.sluice.LeakSuspected");
            r.enable("dev.sluice.Resize");
            r.start();
            SluiceDataSource ds = pool(config("jfr").maximumPoolSize(1).leakDetectionThreshold(Duration.ofMillis(100)));
            try (Connection c = ds.getConnection()) {
                // Real clock (the recording needs the data source's own pool): the wait leaves the housekeeper
                // most of a second past the 100 ms threshold to report the leak, even on a loaded machine.
                assertThatThrownBy(() -> ds.getConnection(Duration.ofSeconds(1))).isInstanceOf(SQLException.class);
            }
            ds.resize(2, 1);
            ds.close();
            r.stop();
            r.dump(file);
            List<String> names = RecordingFile.readAllEvents(file).stream().map(e -> e.getEventType().getName()).toList();
            assertThat(names).contains("dev.sluice.ConnectionCreated", "dev.sluice.ConnectionClosed", "dev.sluice.Acquire",
                    "dev.sluice.LeakSuspected", "dev.sluice.Resize");
            RecordedEvent closed = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("dev.sluice.ConnectionClosed")).findFirst().orElseThrow();
            assertThat(closed.getString("reason")).isEqualTo("POOL_CLOSED");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void jmxExposesStatsAndSteersThePool() throws Exception {
        SluiceDataSource ds = pool(config("jmx").maximumPoolSize(2).registerMbeans(true));
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.sluice:type=Pool,name=" + ObjectName.quote(ds.poolName()));
        assertThat(server.isRegistered(name)).isTrue();
        try (Connection c = ds.getConnection()) {
            assertThat(server.getAttribute(name, "ActiveConnections")).isEqualTo(1);
        }
        server.setAttribute(name, new Attribute("MaximumPoolSize", 5));
        assertThat(ds.stats().maximumPoolSize()).isEqualTo(5);
        server.invoke(name, "suspendPool", null, null);
        assertThatThrownBy(() -> ds.getConnection(Duration.ofMillis(50)))
                .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.POOL_SUSPENDED));
        server.invoke(name, "resumePool", null, null);
        try (Connection c = ds.getConnection(Duration.ofSeconds(1))) {
            assertThat(c.isValid(1)).isTrue();
        }
        for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
            assertThat(String.valueOf(server.getAttribute(name, a.getName()))).doesNotContain(SECRET);
        }
        ds.close();
        assertThat(server.isRegistered(name)).isFalse();
    }

    @Test
    void thePasswordNeverAppearsInLogsToStringStatsOrExceptions() throws Exception {
        db.connectFailure = new SQLException("FATAL: password authentication failed for user app (password " + SECRET + ")", "28P01");
        List<String> seen = new ArrayList<>();
        Throwable startFailure = catchThrowable(() -> pool(config("secret").username("app")));
        assertThat(startFailure).as("the start-up check fails on the refused login").isInstanceOf(SQLException.class);
        for (Throwable t = startFailure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SluiceFailure) { // the driver's own exception is passed on as cause, untouched
                seen.add(t.getMessage());
            }
        }
        assertThat(seen).as("Sluice's own messages about the refused login").isNotEmpty();
        db.connectFailure = null;
        SluiceDataSource ds = pool(config("secret2").username("app").leakDetectionThreshold(Duration.ofMillis(100))
                .dataSourceProperty("sslpassword", SECRET).jdbcUrl(db.url() + "?password=" + SECRET));
        seen.add(ds.toString());
        seen.add(ds.config().toString());
        seen.add(ds.stats().toString());
        // The connection is held until the leak report (and with it the borrower's context) has
        // been logged, so the log lines checked below include a leak report and its follow-up.
        Future<?> f = threads.submit(() -> {
            try (Connection c = ds.getConnection()) {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (logs.stream().noneMatch(r -> r.getMessage().contains("possible leak")) && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
            }
            return null;
        });
        f.get(15, TimeUnit.SECONDS);
        assertThat(logs).as("a leak report was logged").anyMatch(r -> r.getMessage().contains("possible leak"));
        logs.forEach(r -> seen.add(r.getMessage()));
        assertThat(seen).isNotEmpty().allSatisfy(text -> assertThat(String.valueOf(text)).doesNotContain(SECRET));
    }
}
