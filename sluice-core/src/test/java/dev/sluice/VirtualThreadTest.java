package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pool under thousands of virtual threads, without pinning or deadlock. The build targets
 * JDK 17, so the scenario runs in a child JVM of JDK 21 or later: the one running the tests if it
 * is new enough, else {@code $SLUICE_JDK21_JAVA}, else the newest JDK under /usr/lib/jvm. Without
 * one the test is skipped, except under CI=true, where it fails.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class VirtualThreadTest {

    @Test
    void thousandsOfVirtualThreadsShareASmallPoolWithoutPinning() throws Exception {
        Optional<Path> java = modernJava();
        if (java.isEmpty()) {
            String msg = "no JDK 21+ found (set SLUICE_JDK21_JAVA to its bin/java); virtual-thread test skipped";
            if ("true".equals(System.getenv("CI"))) {
                fail(msg);
            }
            Assumptions.assumeTrue(false, msg);
        }
        Process p = new ProcessBuilder(java.get().toString(), "-cp", System.getProperty("java.class.path"),
                VirtualThreadScenario.class.getName()).redirectErrorStream(true).start();
        boolean done = p.waitFor(150, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
            fail("virtual-thread scenario did not finish in 150 s (deadlock?):\n" + out);
        }
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("completed=5000 pinned=0 acquired=5000");
    }

    private static Optional<Path> modernJava() throws IOException {
        if (Runtime.version().feature() >= 21) {
            return Optional.of(Path.of(System.getProperty("java.home"), "bin", "java"));
        }
        String env = System.getenv("SLUICE_JDK21_JAVA");
        if (env != null && Files.isExecutable(Path.of(env))) {
            return Optional.of(Path.of(env));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(jvms)) {
            List<Path> candidates = dirs.filter(d -> featureVersion(d) >= 21)
                    .sorted((a, b) -> Integer.compare(featureVersion(b), featureVersion(a))).toList();
            return candidates.stream().map(d -> d.resolve("bin/java")).filter(Files::isExecutable).findFirst();
        }
    }

    private static int featureVersion(Path jdk) {
        Path release = jdk.resolve("release");
        try {
            for (String line : Files.readAllLines(release)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
