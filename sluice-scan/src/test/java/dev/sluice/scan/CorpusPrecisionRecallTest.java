package dev.sluice.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The labelled corpus: every line that must be reported carries {@code // expect: SLCnnn}. A
 * finding is right when its file, line and rule match a label; precision and recall are counted
 * over those triples. The reproducers of other tools' reported false alarms must give none.
 */
class CorpusPrecisionRecallTest {
    private static final Path CORPUS = Path.of("src/test/resources/corpus");
    private static final Pattern EXPECT = Pattern.compile("//\\s*expect:\\s*([A-Z0-9, ]+)");

    private static Set<String> expected;
    private static Set<String> actual;
    private static int files;

    @BeforeAll
    static void scanCorpus() throws Exception {
        expected = new TreeSet<>();
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(CORPUS)) {
            sources = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        files = sources.size();
        for (Path file : sources) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            String rel = CORPUS.relativize(file).toString().replace('\\', '/');
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = EXPECT.matcher(lines.get(i));
                if (m.find()) {
                    for (String rule : m.group(1).split("[ ,]+")) {
                        if (!rule.isBlank()) {
                            expected.add(rel + ":" + (i + 1) + ":" + rule);
                        }
                    }
                }
            }
        }
        ScanResult result = new Scanner(List.of(), List.of()).scan(List.of(CORPUS), CORPUS);
        assertThat(result.problems()).as("every corpus file parses").isEmpty();
        actual = new TreeSet<>();
        for (Finding f : result.findings()) {
            actual.add(f.path() + ":" + f.line() + ":" + f.rule().id());
        }
    }

    @Test
    void corpusIsLargeEnoughToMeasure() {
        assertThat(files).isGreaterThanOrEqualTo(250);
        assertThat(expected).hasSizeGreaterThan(150);
    }

    @Test
    void precisionAndRecallMeetTheTargets() throws IOException {
        Set<String> truePositives = new TreeSet<>(actual);
        truePositives.retainAll(expected);
        Set<String> falseAlarms = new TreeSet<>(actual);
        falseAlarms.removeAll(expected);
        Set<String> misses = new TreeSet<>(expected);
        misses.removeAll(actual);
        double precision = actual.isEmpty() ? 1 : (double) truePositives.size() / actual.size();
        double recall = expected.isEmpty() ? 1 : (double) truePositives.size() / expected.size();

        StringBuilder table = new StringBuilder(String.format("files=%d labels=%d findings=%d tp=%d fp=%d fn=%d precision=%.3f recall=%.3f%n",
                files, expected.size(), actual.size(), truePositives.size(), falseAlarms.size(), misses.size(), precision, recall));
        TreeMap<String, int[]> perRule = new TreeMap<>();
        for (String e : expected) {
            perRule.computeIfAbsent(rule(e), k -> new int[3])[0]++;
        }
        for (String a : actual) {
            perRule.computeIfAbsent(rule(a), k -> new int[3])[1]++;
        }
        for (String t : truePositives) {
            perRule.get(rule(t))[2]++;
        }
        perRule.forEach((r, c) -> table.append(String.format("%s labels=%d findings=%d tp=%d%n", r, c[0], c[1], c[2])));
        falseAlarms.forEach(f -> table.append("false alarm ").append(f).append('\n'));
        misses.forEach(m -> table.append("miss ").append(m).append('\n'));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/corpus-metrics.txt"), table.toString(), StandardCharsets.UTF_8);
        System.out.print(table);

        assertThat(precision).as(table.toString()).isGreaterThanOrEqualTo(0.95);
        assertThat(recall).as(table.toString()).isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void noFalseAlarmOnTheReproducers() {
        List<String> alarms = new ArrayList<>();
        for (String a : actual) {
            if (a.startsWith("reproducers/") && !expected.contains(a)) {
                alarms.add(a);
            }
        }
        assertThat(alarms).isEmpty();
    }

    private static String rule(String triple) {
        return triple.substring(triple.lastIndexOf(':') + 1);
    }
}
