package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.FailureReason;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import dev.sluice.doctor.Doctor;
import dev.sluice.doctor.DoctorException;
import dev.sluice.doctor.Finding;
import dev.sluice.doctor.Severity;
import dev.sluice.stub.StubDatabase;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The doctor's findings on the console: run once at start, shown with id, severity, message and fix, secrets hidden. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsoleDoctorTest {
    private static final String SECRET = "doctor-pw-8c1f";

    private static SluiceDataSource pool() throws Exception {
        StubDatabase db = StubDatabase.create();
        return new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).poolName("doc-" + db.url().substring(10))
                .initializationFailTimeout(Duration.ofMillis(-1)).build());
    }

    @Test
    void theFindingsOfACheckRunAtStartAreServedAndNoSecretWithThem() throws Exception {
        SluiceConfig checked = SluiceConfig.builder().jdbcUrl("jdbc:h2:mem:console-doctor").username("sa").password(SECRET)
                .maximumPoolSize(4).build();
        Doctor doctor = Doctor.builder(checked).threads(4).connectionsPerThread(2).build();
        // The check has a 2 s budget, connect included; loading H2's classes in a cold JVM on a busy
        // machine has taken longer than that, which is not what this test is about.
        java.sql.DriverManager.getConnection("jdbc:h2:mem:console-doctor-warm-up").close();
        try (SluiceDataSource ds = pool();
                SluiceConsole console = SluiceConsole.builder().port(0).register(ds).doctor(doctor::run).start()) {
            ConsoleHttp http = new ConsoleHttp(console);
            String doc = ConsoleTenantsTest.until(http, console, "/api/doctor", s -> !s.contains("\"state\":\"running\""));

            assertThat(doc).startsWith("{\"state\":\"done\",\"target\":\"jdbc:h2:mem:console-doctor");
            assertThat(doc).contains("{\"id\":\"DOC-SIZE\",\"severity\":\"error\",\"message\":\"", "{\"id\":\"DOC-REACH\"", "\"fix\":\"");
            assertThat(doc).doesNotContain(SECRET);
            assertThat(ConsoleTenantsTest.until(http, console, "/api/snapshot", s -> s.contains("DOC-SIZE")))
                    .as("the page gets the findings with the snapshot").doesNotContain(SECRET);
        }
    }

    @Test
    void aCheckThatCannotRunShowsWhyWithTheUrlRedacted() throws Exception {
        try (SluiceDataSource ds = pool();
                SluiceConsole console = SluiceConsole.builder().port(0).register(ds).doctor(() -> {
                    throw new DoctorException(FailureReason.CONNECT_REFUSED,
                            "cannot reach jdbc:postgresql://app:" + SECRET + "@127.0.0.1:1/app", null);
                }).start()) {
            ConsoleHttp http = new ConsoleHttp(console);
            String doc = ConsoleTenantsTest.until(http, console, "/api/doctor", s -> !s.contains("\"state\":\"running\""));

            assertThat(doc).isEqualTo("{\"state\":\"failed\",\"error\":\"DoctorException: CONNECT_REFUSED (may succeed if retried):"
                    + " cannot reach jdbc:postgresql://app:\\u003chidden\\u003e@127.0.0.1:1/app\"}")
                    .doesNotContain(SECRET);
        }
    }

    @Test
    void withoutACheckTheDoctorEndpointSaysSo() throws Exception {
        try (SluiceDataSource ds = pool(); SluiceConsole console = SluiceConsole.builder().port(0).register(ds).start()) {
            assertThat(new ConsoleHttp(console).bearer("GET", "/api/doctor", console.token()).body()).isEqualTo("{\"state\":\"none\"}");
        }
    }

    @Test
    void aValueNamedLikeASecretIsHiddenAndUrlsInTextAreRedacted() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("maximumPoolSize", 4L);
        values.put("ssl", Boolean.TRUE);
        values.put("password", "plain-" + SECRET);
        values.put("url", "jdbc:postgresql://db/app?user=app&password=" + SECRET);
        Finding f = new Finding("DOC-TEST", Severity.WARNING, "jdbc:mysql://app:" + SECRET + "@db/app <b>is</b> slow", values,
                "set password=" + SECRET + " elsewhere", "https://example.invalid/doc-test");

        String doc = DoctorView.document("jdbc:postgresql://db/app?password=" + SECRET, List.of(f));

        assertThat(doc).doesNotContain(SECRET).doesNotContain("<b>")
                .contains("\"severity\":\"warning\"", "\"maximumPoolSize\":4,\"ssl\":true,\"password\":\"\\u003chidden\\u003e\"");
    }
}
