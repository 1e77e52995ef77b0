package dev.sluice.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PatrolTarget} in a JVM of its own, on this test's class path; killed on close. Its
 * RMI endpoints name 127.0.0.1, so every JMX connection of the tests stays on the loopback.
 */
final class ChildJvm implements AutoCloseable {
    private static final long READY_WITHIN_SECONDS = 60;

    private final Process process;
    private final StringBuffer output = new StringBuffer();

    private ChildJvm(Process process) {
        this.process = process;
    }

    /** Starts {@code PatrolTarget shape lifeSeconds} and waits until it says it is ready. */
    static ChildJvm start(String shape, int lifeSeconds, String... jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaCommand(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Djava.rmi.server.hostname=127.0.0.1"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PatrolTarget.class.getName(), shape,
                Integer.toString(lifeSeconds)));
        ChildJvm child = new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> child.drain(ready), "child-jvm-output");
        reader.setDaemon(true);
        reader.start();
        if (!ready.await(READY_WITHIN_SECONDS, TimeUnit.SECONDS) || !child.output.toString().contains("ready\n")) {
            child.close();
            throw new IllegalStateException("the child JVM (" + shape + ") was not ready in " + READY_WITHIN_SECONDS
                    + " s; it said: " + child.output);
        }
        return child;
    }

    /** The java of the JVM running the tests. */
    static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void drain(CountDownLatch ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null;) {
                output.append(line).append('\n');
                if (line.equals("ready")) {
                    ready.countDown();
                }
            }
        } catch (IOException closed) {
            // The child was killed.
        } finally {
            // An exit before "ready" must end the wait at once, not at its bound.
            ready.countDown();
        }
    }

    String pid() {
        return Long.toString(process.pid());
    }

    long pidNumber() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits up to {@code seconds} for the child to exit by itself. */
    boolean awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
