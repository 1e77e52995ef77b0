package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.InvalidConfigException;
import dev.sluice.KnobOrigin;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import java.io.IOException;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HikariCP configurations as people write them ({@code src/test/resources/hikari-corpus}) must
 * configure Sluice unchanged: each file is read with {@link SluiceConfig#fromProperties}, a pool is
 * started against the database the file names, {@code select 1} runs, and the pool closes. A file
 * that Sluice must refuse says so, and the error must name the knob and the way out.
 *
 * <p>Each file declares in comments {@code # database: h2|postgresql|mariadb}, {@code # expect:
 * start} or {@code # expect: invalid <knob> | <text of the message>}, and optionally {@code #
 * expect-derived: <knob>, ...} for knobs whose default must give way to what the file set. H2's
 * random port and credentials are {@code ${h2.url}}, {@code ${h2.port}}, {@code ${h2.user}},
 * {@code ${h2.password}}. PostgreSQL and MariaDB files follow the matrix rule: skipped when the
 * database is unreachable, failed when {@code CI=true}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HikariCorpusTest {

    record Entry(String file, TestDatabase db, String expect, List<String> derived, Properties properties) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Entry> corpus() throws IOException, URISyntaxException {
        URL dir = Objects.requireNonNull(HikariCorpusTest.class.getResource("/hikari-corpus"), "hikari-corpus on the test class path");
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".properties")).sorted().toList()) {
                entries.add(read(f));
            }
        }
        assertThat(entries).as("corpus size").hasSizeGreaterThanOrEqualTo(25);
        return entries.stream();
    }

    private static Entry read(Path f) throws IOException {
        String text = Files.readString(f, StandardCharsets.UTF_8);
        String database = header(text, "database");
        String expect = header(text, "expect");
        String derived = header(text, "expect-derived");
        TestDatabase db = switch (Objects.requireNonNull(database, f + ": no '# database:' line").toLowerCase(Locale.ROOT)) {
            case "h2" -> TestDatabase.H2;
            case "postgresql" -> TestDatabase.POSTGRESQL;
            case "mariadb" -> TestDatabase.MARIADB;
            default -> throw new IllegalArgumentException(f + ": unknown database " + database);
        };
        Properties p = new Properties();
        p.load(new StringReader(text));
        return new Entry(f.getFileName().toString(), db, Objects.requireNonNull(expect, f + ": no '# expect:' line"),
                derived == null ? List.of() : List.of(derived.split("\\s*,\\s*")), p);
    }

    private static String header(String text, String name) {
        for (String line : text.split("\n")) {
            String prefix = "# " + name + ":";
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
        return null;
    }

    /** H2 listens on a random port with a password: the files name them by placeholder. */
    private static Properties resolved(Entry e) {
        Properties p = new Properties();
        for (String name : e.properties().stringPropertyNames()) {
            p.setProperty(name, e.properties().getProperty(name)
                    .replace("${h2.url}", TestDatabase.H2.url())
                    .replace("${h2.port}", TestDatabase.H2.address().substring(TestDatabase.H2.address().indexOf(':') + 1))
                    .replace("${h2.user}", TestDatabase.H2.user())
                    .replace("${h2.password}", TestDatabase.H2.password()));
        }
        return p;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void hikariConfigurationRunsUnchanged(Entry e) throws Exception {
        Properties p = resolved(e);
        if (e.expect().startsWith("invalid")) {
            String[] parts = e.expect().substring("invalid".length()).split("\\|", 2);
            String knob = parts[0].trim();
            String text = parts[1].trim();
            assertThatThrownBy(() -> SluiceConfig.fromProperties(p)).isInstanceOfSatisfying(InvalidConfigException.class, invalid -> {
                assertThat(invalid.knob()).isEqualTo(knob);
                assertThat(invalid.getMessage()).contains(knob).contains(text);
            });
            return;
        }
        assertThat(e.expect()).isEqualTo("start");
        e.db().requireAvailable(); // PostgreSQL/MariaDB down: skipped, or failed with CI=true
        SluiceConfig config = SluiceConfig.fromProperties(p);
        for (String knob : e.derived()) {
            assertThat(config.origin(knob)).as(knob + " in " + config.derivations()).isEqualTo(KnobOrigin.DERIVED);
        }
        try (SluiceDataSource ds = new SluiceDataSource(config); Connection c = ds.getConnection();
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }
}
