package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code sluice demo} end to end, in-process: the workload against the embedded database, and the
 * contract for failures (one line, the option or the classified reason, exit 2 or 1).
 */
class DemoCommandTest {
    private static final Pattern OPERATIONS = Pattern.compile("(?m)^  operations +([\\d,]+)");
    private static final Pattern ERRORS = Pattern.compile("(?m)^  errors +([\\d,]+)");
    private static final Pattern CHECKED = Pattern.compile("(?m)^  checked borrows +([\\d,]+)");
    private static final Pattern MIX_UPS = Pattern.compile("(?m)^  mix-ups +([\\d,]+)");
    private static final Pattern MAX_OPEN = Pattern.compile("(?m)^  budget +max open seen (\\d+) of (\\d+)");

    @Test
    void embeddedDemoCompletesOperationsWithoutErrors() {
        CliRun run = CliRun.of("demo", "--duration", "2s", "--threads", "2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("embedded H2").contains("Summary:");
        assertThat(count(OPERATIONS, run.out())).isPositive();
        assertThat(count(ERRORS, run.out())).isZero();
        // Not a terminal: one plain line per second, no escape sequences.
        assertThat(run.out()).containsPattern("(?m)^t=1s phase=\\S+ threads=\\d+ inUse=\\d+ ");
        assertThat(run.out()).doesNotContain("\u001b[");
    }

    @Test
    void onATerminalTheLiveViewIsRedrawnInPlace() {
        CliRun run = CliRun.onTerminal("demo", "--duration", "1500ms", "--threads", "2", "--burst", "1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("\u001b[2K  pool").contains("F\u001b[2K  time");
    }

    @Test
    void withConsoleTheDemoPrintsTheConsolesUrlAndItsTokenOnceAndClosesItAtTheEnd() throws Exception {
        CliRun run = CliRun.of("demo", "--duration", "2s", "--threads", "2", "--console", "--console-port", "0");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Matcher m = Pattern.compile("(?m)^console: (http://127\\.0\\.0\\.1:(\\d+)/)  token: (\\S+)  ").matcher(run.out());
        assertThat(m.find()).as(run.out()).isTrue();
        String token = m.group(3);
        assertThat(token).hasSizeGreaterThanOrEqualTo(43);
        assertThat(run.out().split(Pattern.quote(token), -1)).as("the token is printed exactly once").hasSize(2);
        assertThat(run.out()).contains("Summary:");
        // The console ended with the demo: its port no longer answers.
        try (java.net.Socket s = new java.net.Socket()) {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> s.connect(
                    new java.net.InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(2))), 2000)))
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void quietPrintsOnlyTheSummary() {
        CliRun run = CliRun.of("demo", "--duration", "1s", "--threads", "1", "--quiet");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip()).startsWith("Summary:");
    }

    @Test
    void externalDatabaseKeepsTheUsersTablesAndReusesItsOwn() throws Exception {
        String url = "jdbc:h2:mem:users-own-db";
        try (Connection owner = DriverManager.getConnection(url, "sa", "");
                Statement s = owner.createStatement()) {
            s.execute("CREATE TABLE customers (id INT PRIMARY KEY)");
            s.execute("INSERT INTO customers VALUES (1)");

            CliRun first = CliRun.of("demo", "--url", url, "--user", "sa", "--duration", "1s", "--threads", "1");
            CliRun second = CliRun.of("demo", "--url", url, "--user", "sa", "--duration", "1s", "--threads", "1");

            assertThat(first.exitCode()).as(first.err()).isZero();
            assertThat(second.exitCode()).as(second.err()).isZero();
            assertThat(count(ERRORS, second.out())).isZero();
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM customers")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sluice_demo_accounts")) {
                rs.next();
                assertThat(rs.getInt(1)).as("seeded once, not twice").isEqualTo(10_000);
            }
        }
    }

    @Test
    void tenantDemoChecksEveryBorrowNeverMixesTenantsAndStaysWithinTheBudget() {
        CliRun run = CliRun.of("demo", "--tenants", "200", "--duration", "3s");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("200 tenants, a schema each; budget of 6 connections, 3 per tenant");
        assertThat(count(CHECKED, run.out())).isPositive();
        assertThat(count(MIX_UPS, run.out())).isZero();
        assertThat(count(ERRORS, run.out())).isZero();
        Matcher budget = MAX_OPEN.matcher(run.out());
        assertThat(budget.find()).as(run.out()).isTrue();
        assertThat(Integer.parseInt(budget.group(1))).isPositive().isLessThanOrEqualTo(Integer.parseInt(budget.group(2)));
        assertThat(budget.group(2)).isEqualTo("6");
        // The live line: the budget and the busiest tenants, t1 (the Zipf head) among them in most frames.
        assertThat(run.out()).containsPattern("(?m)^t=1s phase=\\S+ threads=\\d+ open=\\d+ inUse=\\d+ idle=\\d+ waiting=\\d+"
                + " maxOpen=\\d+ borrows/s=\\d+ checked=\\d+ mixups=0 errors=0 busiest=\\S+");
    }

    @Test
    void tenantDemoOnATerminalShowsTheBudgetAndTheBusiestTenants() {
        CliRun run = CliRun.onTerminal("demo", "--tenants", "20", "--duration", "1500ms", "--threads", "4", "--burst", "1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("\u001b[2K  budget    in use").contains("\u001b[2K  busiest   ");
    }

    @ParameterizedTest(name = "--tenants {0}")
    @CsvSource({"0", "abc", "10001", "-3"})
    void aBadTenantCountIsAUsageErrorNamingTheOption(String value) {
        CliRun run = CliRun.of("demo", "--tenants", value, "--duration", "1s");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("sluice demo: ").contains("--tenants");
        assertOneLineWithoutStackTrace(run.err());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void tenantsWithAUrlIsAUsageError() {
        CliRun run = CliRun.of("demo", "--tenants", "5", "--url", "jdbc:h2:mem:x", "--duration", "1s");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--tenants").contains("embedded database only");
        assertOneLineWithoutStackTrace(run.err());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "--duration, abc",
        "--duration, 0s",
        "--threads, -1",
        "--threads, many",
        "--pool-size, 0",
        "--burst, 0",
        "--connection-timeout, 10ms",
        "--url, not-a-jdbc-url",
    })
    void badOptionValueIsAUsageErrorNamingTheOption(String option, String value) {
        // A short --duration, so a value wrongly accepted fails the test quickly instead of running 20 s.
        CliRun run = option.equals("--duration")
                ? CliRun.of("demo", option, value)
                : CliRun.of("demo", option, value, "--duration", "1s");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("sluice demo: ").contains(option);
        assertOneLineWithoutStackTrace(run.err());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRun run = CliRun.of("demo", "--bogus");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--bogus");
        assertOneLineWithoutStackTrace(run.err());
    }

    @Test
    void withoutACommandTheUsageListsTheCommands() {
        CliRun run = CliRun.of();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Usage: sluice").contains("demo");
    }

    @Test
    void unreachableDatabaseFailsWithTheClassifiedReasonAndHidesThePassword() {
        CliRun run = CliRun.of("demo", "--url", "jdbc:postgresql://127.0.0.1:1/none?password=url-secret",
                "--user", "demo", "--password", "option-secret", "--connection-timeout", "500ms", "--duration", "1s");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("sluice demo: CONNECT_REFUSED");
        assertThat(run.out() + run.err()).doesNotContain("url-secret").doesNotContain("option-secret");
        assertOneLineWithoutStackTrace(run.err());
    }

    @Test
    void urlNoDriverAcceptsIsAConfigurationFailure() {
        CliRun run = CliRun.of("demo", "--url", "jdbc:nosuch:db", "--duration", "1s");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("sluice demo: INVALID_CONFIG (fix the configuration)");
        assertOneLineWithoutStackTrace(run.err());
    }

    private static long count(Pattern labelled, String out) {
        Matcher m = labelled.matcher(out);
        assertThat(m.find()).as("no line matching %s in:%n%s", labelled, out).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    private static void assertOneLineWithoutStackTrace(String err) {
        assertThat(err.strip()).doesNotContain("\n").doesNotContain("\tat ").doesNotContain("Exception");
    }
}
