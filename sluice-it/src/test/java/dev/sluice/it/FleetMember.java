package dev.sluice.it;

import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One application instance of {@link FleetTest}, in its own JVM: a fleet member pool, driven by
 * lines on stdin ({@code busy <callers>}, {@code idle}, {@code stats}, {@code quit}) and answering
 * on stdout. Exits when stdin closes, so a test that dies leaves no member behind for long.
 */
public final class FleetMember {
    private FleetMember() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String fleet = args[1];
        String instance = args[2];
        int budget = Integer.parseInt(args[3]);
        SluiceConfig config = SluiceConfig.builder()
                .poolName("fleet-" + instance)
                .jdbcUrl(url)
                .username("postgres")
                .maximumPoolSize(budget)
                .connectionTimeout(Duration.ofSeconds(20))
                .maxConcurrentCreates(8) // growing by 30 connections at 2 at a time takes seconds on a loaded machine
                .fleet(fleet)
                .fleetInstance(instance)
                .fleetBudget(budget)
                .build();
        AtomicLong borrows = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<Thread> callers = new ArrayList<>();
        AtomicBoolean[] running = {new AtomicBoolean()};
        try (SluiceDataSource ds = new SluiceDataSource(config);
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("READY");
            System.out.flush();
            for (String line; (line = in.readLine()) != null; ) {
                String[] cmd = line.trim().split(" ");
                switch (cmd[0]) {
                    case "busy" -> {
                        AtomicBoolean run = new AtomicBoolean(true);
                        running[0] = run;
                        for (int i = 0; i < Integer.parseInt(cmd[1]); i++) {
                            Thread t = new Thread(() -> {
                                while (run.get()) {
                                    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                                        s.execute("select pg_sleep(0.005)");
                                        borrows.incrementAndGet();
                                    } catch (Exception e) {
                                        if (errors.incrementAndGet() <= 3) {
                                            System.err.println(instance + ": " + e);
                                        }
                                    }
                                }
                            }, "caller-" + i);
                            t.setDaemon(true);
                            t.start();
                            callers.add(t);
                        }
                    }
                    case "idle" -> {
                        running[0].set(false);
                        for (Thread t : callers) {
                            t.join(10_000);
                        }
                        callers.clear();
                    }
                    case "stats" -> System.out.println("STATS " + borrows.get() + " " + errors.get() + " " + ds.fleetView());
                    case "quit" -> {
                        return;
                    }
                    default -> System.out.println("UNKNOWN " + line);
                }
                System.out.flush();
            }
        } finally {
            running[0].set(false);
        }
    }
}
