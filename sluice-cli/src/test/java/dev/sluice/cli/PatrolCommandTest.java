package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code sluice patrol} against real JVMs: child processes running a pool in a known shape,
 * attached to by pid (and once through a JMX port), with the exit codes a deploy script relies on.
 * Every child ends itself after a minute at most and is killed when its test ends.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PatrolCommandTest {

    @Test
    void saturatedPoolFailsThePatrolWithExit1NamingThePoolAndWhy() throws Exception {
        try (ChildJvm child = ChildJvm.start("saturated", 60)) {
            CliRun run = CliRun.of("patrol", child.pid(), "--fail-on", "saturated", "--interval", "500ms", "--count", "20");

            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
            assertThat(run.out()).contains("pid " + child.pid()).containsPattern("patrol-saturated +SATURATED ");
            assertThat(run.err()).startsWith("sluice patrol: pool patrol-saturated in pid " + child.pid())
                    .contains("is SATURATED (--fail-on saturated)").contains("timed out (saturated: any)");
            assertOneLine(run.err());
        }
    }

    @Test
    void healthyPoolPassesThePatrolWithExit0() throws Exception {
        try (ChildJvm child = ChildJvm.start("healthy", 60)) {
            CliRun run = CliRun.of("patrol", child.pid(), "--fail-on", "busy", "--interval", "500ms", "--count", "2");

            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            assertThat(run.err()).isEmpty();
            assertThat(run.out()).containsPattern("(?m)^time +pool +status +open +in use +idle +waiting +timeouts +p99 acquire$");
            assertThat(run.out().lines().filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d  patrol-healthy +HEALTHY .*"))).hasSize(2);
            assertThat(run.out()).contains("2 readings, no pool reached BUSY or SATURATED or DOWN");
        }
    }

    @Test
    void aStatusBelowTheFailOnLevelOnlyShowsItsReasons() throws Exception {
        try (ChildJvm child = ChildJvm.start("saturated", 60)) {
            CliRun run = CliRun.of("patrol", child.pid(), "--fail-on", "down", "--interval", "200ms", "--count", "2");

            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            // Reasons once, when the pool enters the status, not again at every reading.
            assertThat(occurrences("acquire timed out", run.out()) + occurrences("acquires timed out", run.out())).isEqualTo(1);
        }
    }

    @Test
    void jvmWithoutSluicePoolsIsExit2InOneLine() throws Exception {
        try (ChildJvm child = ChildJvm.start("none", 60)) {
            CliRun run = CliRun.of("patrol", child.pid(), "--count", "1");

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).startsWith("sluice patrol: no Sluice pool in pid " + child.pid())
                    .contains("registerMbeans=true");
            assertOneLine(run.err());
        }
    }

    @Test
    void processThatIsGoneIsExit2InOneLine() throws Exception {
        Process gone = new ProcessBuilder(ChildJvm.javaCommand(), "-version").redirectErrorStream(true).start();
        gone.getInputStream().readAllBytes();
        assertThat(gone.waitFor(30, TimeUnit.SECONDS)).isTrue();

        CliRun run = CliRun.of("patrol", Long.toString(gone.pid()), "--count", "1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("sluice patrol: no process with pid " + gone.pid()
                + " (run 'sluice patrol' to list the JVMs with pools)\n");
    }

    @Test
    void processThatIsNoJvmIsRefusedWithoutBeingSignalled() throws Exception {
        // Attaching to a process that is not a JVM would send it SIGQUIT, which kills a plain process.
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            CliRun run = CliRun.of("patrol", Long.toString(sleeper.pid()), "--count", "1");

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).startsWith("sluice patrol: pid " + sleeper.pid() + " is not a Java VM this user can attach to");
            assertOneLine(run.err());
            assertThat(sleeper.isAlive()).isTrue();
        } finally {
            sleeper.destroyForcibly();
            sleeper.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void targetThatExitsMidPatrolIsExit2() throws Exception {
        try (ChildJvm child = ChildJvm.start("healthy", 3)) {
            CliRun run = CliRun.of("patrol", child.pid(), "--interval", "200ms", "--duration", "1m");

            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
            assertThat(run.err()).startsWith("sluice patrol: pid " + child.pid()).contains(" exited after ");
            assertOneLine(run.err());
        }
    }

    @Test
    void frozenTargetEndsThePatrolWithExit2InsteadOfHangingIt() throws Exception {
        try (ChildJvm child = ChildJvm.start("healthy", 60)) {
            // SIGSTOP once the first row is out: the connection is up, and the next reading finds no one answering.
            AtomicBoolean stopped = new AtomicBoolean();
            StringWriter out = new StringWriter();
            Writer stopAfterFirstRow = new FilterWriter(out) {
                @Override
                public void write(String text, int off, int len) throws IOException {
                    super.write(text, off, len);
                    if (out.toString().contains("patrol-healthy ") && stopped.compareAndSet(false, true)) {
                        signal("-STOP", child);
                    }
                }
            };
            StringWriter err = new StringWriter();
            long start = System.nanoTime();
            try {
                int exit = SluiceCli.execute(new PrintWriter(stopAfterFirstRow), new PrintWriter(err), false, null, false,
                        "patrol", child.pid(), "--interval", "200ms", "--duration", "5m");

                assertThat(exit).as(out + err.toString()).isEqualTo(2);
            } finally {
                signal("-CONT", child);
            }
            assertThat(stopped).isTrue();
            assertThat(err.toString()).isEqualTo("sluice patrol: pid " + child.pid() + " (" + PatrolTarget.class.getName()
                    + " healthy 60) did not answer within 15s (stopped, or in a long pause?)\n");
            // 15 s to give up and 2 s to close; the bad case is the 5 minutes of --duration, or forever.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
        }
    }

    private static void signal(String signal, ChildJvm child) throws IOException {
        try {
            Process kill = new ProcessBuilder("kill", signal, child.pid()).start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Test
    void badJmxUrlIsExit2InOneLine() {
        CliRun malformed = CliRun.of("patrol", "--jmx", "localhost:9010");
        CliRun refused = CliRun.of("patrol", "--jmx", "service:jmx:rmi:///jndi/rmi://127.0.0.1:1/jmxrmi", "--count", "1");

        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err()).startsWith("sluice patrol: 'localhost:9010' is not a JMX service URL")
                .contains("service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi");
        assertOneLine(malformed.err());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).startsWith("sluice patrol: could not connect to service:jmx:rmi:///jndi/rmi://127.0.0.1:1/jmxrmi: ");
        assertOneLine(refused.err());
    }

    @Test
    void jvmWithAJmxPortIsPatrolledByUrl() throws Exception {
        int port = freePort();
        try (ChildJvm child = ChildJvm.start("healthy", 60, "-Dcom.sun.management.jmxremote.port=" + port,
                "-Dcom.sun.management.jmxremote.rmi.port=" + port, "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false")) {
            String url = "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi";
            CliRun run = CliRun.of("patrol", "--jmx", url, "--fail-on", "unhealthy", "--count", "1");

            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).contains("sluice patrol: " + url).containsPattern("patrol-healthy +HEALTHY ");
        }
    }

    @Test
    void listingNamesTheJvmsWithPoolsAndLeavesOutTheOthers() throws Exception {
        try (ChildJvm pooled = ChildJvm.start("healthy", 60); ChildJvm bare = ChildJvm.start("none", 60)) {
            // The candidates are these two children only: the listing attaches to every JVM it is given,
            // and other JVMs of this user on the machine are none of this test's business.
            List<PooledJvms.Entry> found = PooledJvms.among(List.of(new LocalJvms.Jvm(pooled.pidNumber(), "pooled"),
                    new LocalJvms.Jvm(bare.pidNumber(), "bare")));

            assertThat(found).hasSize(1);
            assertThat(found.get(0).jvm().pid()).isEqualTo(pooled.pidNumber());
            assertThat(found.get(0).pools()).containsExactly("patrol-healthy");
            assertThat(PooledJvms.table(found)).startsWith("PID      POOLS           COMMAND\n")
                    .contains(pooled.pid() + " ").contains("patrol-healthy  pooled");
        }
    }

    @Test
    void patrolOptionsWithoutATargetAreAUsageErrorNotAListing() {
        // A deploy script whose pid variable came out empty must fail rather than list JVMs and exit 0.
        CliRun run = CliRun.of("patrol", "--fail-on", "saturated");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("sluice patrol: a PID or --jmx URL is required with --fail-on");
        assertOneLine(run.err());
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption() {
        assertUsageError(CliRun.of("patrol", "abc"), "'abc' is not a process id");
        assertUsageError(CliRun.of("patrol", "1", "--jmx", "service:jmx:rmi:///jndi/rmi://127.0.0.1:1/jmxrmi"),
                "give a PID or --jmx URL, not both");
        assertUsageError(CliRun.of("patrol", "1", "--interval", "10ms"), "'--interval': 10ms must be between 100ms and 1h");
        assertUsageError(CliRun.of("patrol", "1", "--interval", "10"), "'--interval': '10' is not a duration");
        assertUsageError(CliRun.of("patrol", "1", "--count", "0"), "'--count': 0 must be at least 1");
        assertUsageError(CliRun.of("patrol", "1", "--fail-on", "sick"), "'sick' is not a status to fail on; use busy,");
    }

    @Test
    void failOnLevelsIncludeTheWorseStatuses() {
        assertThat(FailOn.statuses(List.of(FailOn.busy))).extracting(Enum::name).containsExactly("BUSY", "SATURATED", "DOWN");
        assertThat(FailOn.statuses(List.of(FailOn.saturated))).extracting(Enum::name).containsExactly("SATURATED", "DOWN");
        assertThat(FailOn.statuses(List.of(FailOn.unhealthy))).extracting(Enum::name)
                .containsExactly("BUSY", "SATURATED", "OVERSIZED", "DOWN");
        assertThat(FailOn.statuses(List.of(FailOn.down, FailOn.oversized))).extracting(Enum::name)
                .containsExactly("OVERSIZED", "DOWN");
    }

    private static void assertUsageError(CliRun run, String message) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("sluice patrol: ").contains(message);
        assertOneLine(run.err());
    }

    private static void assertOneLine(String text) {
        assertThat(text.strip()).doesNotContain("\n").doesNotContain("\tat ");
    }

    private static int occurrences(String needle, String text) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
