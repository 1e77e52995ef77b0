package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Four application instances, each its own JVM, share a fleet budget of 40 connections on
 * PostgreSQL while the load moves from one to another. A sampler counts the fleet's backends in
 * pg_stat_activity every 10 ms: the sum never exceeds the budget, and the busy instance gets at
 * least 70% of it within 5 s of becoming busy, with no caller failing.
 *
 * <p>Reproduce: {@code ./mvnw -B verify -pl sluice-it -am -Dtest=FleetTest -Dsurefire.failIfNoSpecifiedTests=false -Dspotbugs.skip}
 */
class FleetTest {
    private static final int BUDGET = 40;
    private static final int CALLERS = 24;
    private static final int REACH = BUDGET * 7 / 10;
    private static final long REACH_WITHIN_MS = 5_000;

    private record Member(String id, Process process, PrintStream in, BlockingQueue<String> out) {
        void send(String line) {
            in.println(line);
            in.flush();
        }

        String await(String prefix, long millis) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            for (long left; (left = end - System.nanoTime()) > 0; ) {
                String line = out.poll(left, TimeUnit.NANOSECONDS);
                if (line != null && line.startsWith(prefix)) {
                    return line;
                }
            }
            throw new AssertionError(id + " did not answer " + prefix + " within " + millis + " ms");
        }
    }

    @Test
    @Timeout(value = 110, unit = TimeUnit.SECONDS)
    void theFleetStaysWithinItsBudgetWhileLoadMoves() throws Exception {
        TestDatabase db = TestDatabase.POSTGRESQL;
        db.requireAvailable();
        String fleet = "it" + Long.toHexString(ProcessHandle.current().pid());
        String prefix = "sluice:" + fleet + ":";
        List<Member> members = new ArrayList<>();
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger maxSum = new AtomicInteger();
        AtomicInteger samples = new AtomicInteger();
        Map<String, Integer> latest = new java.util.concurrent.ConcurrentHashMap<>();
        Thread sampler = null;
        try {
            for (String id : List.of("a", "b", "c", "d")) {
                members.add(start(db.url(), fleet, id));
            }
            for (Member m : members) {
                m.await("READY", 60_000);
            }
            sampler = new Thread(() -> sample(db, prefix, sampling, maxSum, samples, latest), "fleet-sampler");
            sampler.setDaemon(true);
            sampler.start();

            Map<String, Long> reachMillis = new HashMap<>();
            for (String busy : List.of("a", "b", "a")) {
                Member m = members.stream().filter(x -> x.id().equals(busy)).findFirst().orElseThrow();
                for (Member other : members) {
                    if (other != m) {
                        other.send("idle");
                    }
                }
                m.send("busy " + CALLERS);
                long t0 = System.nanoTime();
                long reached = -1;
                while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(8)) {
                    if (latest.getOrDefault(busy, 0) >= REACH && reached < 0) {
                        reached = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    }
                    Thread.sleep(10);
                }
                System.out.printf("fleet: %s busy: reached %d of %d connections in %d ms; max sum so far %d%n", busy, REACH, BUDGET,
                        reached, maxSum.get());
                reachMillis.merge(busy, reached < 0 ? Long.MAX_VALUE : reached, Math::max);
                m.send("idle");
            }
            // A member whose control connection dies stops connecting, rejoins on a new one, and the budget still holds.
            try (Connection c = db.direct(); PreparedStatement st = c.prepareStatement("select count(pg_terminate_backend(pid))"
                    + " from pg_stat_activity where left(application_name, ?) = ?")) {
                st.setInt(1, prefix.length() + 2);
                st.setString(2, prefix + "c:");
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("control connections of c terminated").isEqualTo(1);
                }
            }
            long rejoinBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int controls = 0;
            try (Connection c = db.direct(); PreparedStatement st = c.prepareStatement("select count(*) from pg_stat_activity"
                    + " where left(application_name, ?) = ?")) {
                st.setInt(1, prefix.length() + 2);
                st.setString(2, prefix + "c:");
                while (controls == 0 && System.nanoTime() < rejoinBy) {
                    Thread.sleep(100);
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        controls = rs.getInt(1);
                    }
                }
            }
            assertThat(controls).as("c's control connection, back in the fleet").isEqualTo(1);
            long borrows = 0;
            for (Member m : members) {
                m.send("stats");
                String[] stats = m.await("STATS", 20_000).split(" ", 4);
                System.out.println("fleet: " + m.id() + " " + String.join(" ", stats));
                borrows += Long.parseLong(stats[1]);
                assertThat(Long.parseLong(stats[2])).as("caller errors in %s", m.id()).isZero();
            }
            sampling.set(false);
            sampler.join(5_000);
            System.out.printf("fleet: %d samples, max sum %d of budget %d, %d borrows%n", samples.get(), maxSum.get(), BUDGET, borrows);
            assertThat(samples.get()).as("samples").isGreaterThan(500);
            assertThat(maxSum.get()).as("most backends of the fleet seen at once").isLessThanOrEqualTo(BUDGET);
            assertThat(reachMillis).allSatisfy((id, ms) -> assertThat(ms).as("ms for %s to reach %d connections", id, REACH)
                    .isLessThanOrEqualTo(REACH_WITHIN_MS));
        } finally {
            sampling.set(false);
            for (Member m : members) {
                m.process().destroyForcibly();
            }
            for (Member m : members) {
                m.process().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Member start(String url, String fleet, String id) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx96m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                FleetMember.class.getName(), url, fleet, id, String.valueOf(BUDGET)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BlockingQueue<String> out = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.add(line);
                }
            } catch (IOException ended) {
                // the member exited
            }
        }, "fleet-" + id + "-out");
        reader.setDaemon(true);
        reader.start();
        return new Member(id, p, new PrintStream(p.getOutputStream(), true, StandardCharsets.UTF_8), out);
    }

    /** Counts the fleet's backends every 10 ms: the sum, and each instance's pooled connections. */
    private static void sample(TestDatabase db, String prefix, AtomicBoolean sampling, AtomicInteger maxSum, AtomicInteger samples,
            Map<String, Integer> latest) {
        try (Connection c = db.direct();
                PreparedStatement st = c.prepareStatement("select application_name, count(*) from pg_stat_activity"
                        + " where left(application_name, ?) = ? group by 1")) {
            st.setInt(1, prefix.length());
            st.setString(2, prefix);
            while (sampling.get()) {
                int sum = 0;
                Map<String, Integer> pooled = new HashMap<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        String rest = rs.getString(1).substring(prefix.length());
                        sum += rs.getInt(2);
                        if (!rest.contains(":")) {
                            pooled.merge(rest, rs.getInt(2), Integer::sum);
                        }
                    }
                }
                for (String id : List.of("a", "b", "c", "d")) {
                    latest.put(id, pooled.getOrDefault(id, 0));
                }
                maxSum.accumulateAndGet(sum, Math::max);
                samples.incrementAndGet();
                Thread.sleep(10);
            }
        } catch (Exception e) {
            maxSum.set(Integer.MAX_VALUE); // a sampler that stopped must not pass the test
            e.printStackTrace();
        }
    }
}
