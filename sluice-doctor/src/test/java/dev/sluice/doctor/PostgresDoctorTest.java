package dev.sluice.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.SluiceConfig;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each PostgreSQL rule against the real server, with a fixture that triggers it and one that does
 * not. Server settings are set per role, so nothing another suite sees changes.
 */
class PostgresDoctorTest {
    /** statement_timeout, idle-in-transaction timeout and read-only transactions: the role a careful operator gives an application. */
    static final String GOOD = "sluice_doc_pg_good";
    /** No settings: the server's defaults (both timeouts off). */
    static final String BARE = "sluice_doc_pg_bare";
    /** idle_session_timeout = 60s. */
    static final String IDLE = "sluice_doc_pg_idle";
    /** CONNECTION LIMIT 5. */
    static final String LIMITED = "sluice_doc_pg_limited";

    @BeforeAll
    static void roles() throws SQLException {
        Servers.requirePostgres();
        // default_transaction_read_only makes any write the check might attempt fail, and a failed read shows up
        // as "unreadable": a report without it proves the check only read.
        Servers.createRole(GOOD, "SET statement_timeout = '30s'", "SET idle_in_transaction_session_timeout = '60s'",
                "SET default_transaction_read_only = on");
        Servers.createRole(BARE);
        Servers.createRole(IDLE, "SET statement_timeout = '30s'", "SET idle_in_transaction_session_timeout = '60s'",
                "SET idle_session_timeout = '60s'");
        Servers.createRole(LIMITED, "SET statement_timeout = '30s'", "SET idle_in_transaction_session_timeout = '60s'",
                "CONNECTION LIMIT 5");
    }

    @AfterAll
    static void dropRoles() throws SQLException {
        if (Servers.CI || reachable()) {
            for (String r : List.of(GOOD, BARE, IDLE, LIMITED)) {
                Servers.dropRole(r);
            }
        }
    }

    private static boolean reachable() {
        try {
            Servers.postgres("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    static SluiceConfig.Builder pool(String role) {
        return SluiceConfig.builder().jdbcUrl(Servers.POSTGRES_URL).username(role).maximumPoolSize(4);
    }

    static DoctorReport check(SluiceConfig.Builder pool, int instances) throws DoctorException {
        return Doctor.builder(pool.build()).instances(instances).build().run();
    }

    static DoctorReport check(SluiceConfig.Builder pool) throws DoctorException {
        return check(pool, 1);
    }

    static List<String> atLeastWarning(DoctorReport r) {
        return r.findings().stream().filter(f -> f.severity() != Severity.INFO).map(f -> f.id() + ": " + f.message()).toList();
    }

    @Test
    void threeInstancesOfFortyExceedTheDefaultMaxConnections() throws DoctorException {
        DoctorReport r = check(pool(GOOD).maximumPoolSize(40), 3);

        assertThat(r.findings("DOC-BUDGET")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.message()).startsWith("3 instances × maximumPoolSize=40 = 120 connections, but the server has ")
                    .contains("max_connections=100 − superuser_reserved_connections=3");
            assertThat(f.values()).containsEntry("fleet", 120L).containsEntry("max_connections", 100L);
        });
        assertThat(r.hasErrors()).isTrue();
    }

    @Test
    void twoInstancesOfTwentyFitTheDefaultMaxConnections() throws DoctorException {
        DoctorReport r = check(pool(GOOD).maximumPoolSize(20), 2);

        long others = (Long) r.server().get("other_connections");
        assertThat(r.findings("DOC-BUDGET")).noneMatch(f -> f.severity() == Severity.ERROR);
        if (others <= 47) { // 40 ≤ 80% of (97 − others); the server is shared, so other suites' sessions count
            assertThat(r.findings("DOC-BUDGET")).as("others=" + others).isEmpty();
        }
    }

    @Test
    void aRoleConnectionLimitBelowTheFleetIsAnError() throws DoctorException {
        assertThat(check(pool(LIMITED).maximumPoolSize(3), 2).findings("DOC-BUDGET")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("the role may hold at most 5 (its CONNECTION LIMIT)"));
        assertThat(check(pool(LIMITED).maximumPoolSize(5), 1).findings("DOC-BUDGET")).isEmpty();
    }

    @Test
    void idleSessionTimeoutBelowThePoolsIdleBoundIsALifetimeError() throws DoctorException {
        DoctorReport r = check(pool(IDLE)); // keepaliveTime 2m by default

        assertThat(r.findings("DOC-LIFETIME")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.message()).contains("idle_session_timeout=1m").contains("keepaliveTime=2m");
            assertThat(f.fix()).startsWith("set keepaliveTime=55s or less");
        });
        assertThat(check(pool(IDLE).keepaliveTime(Duration.ofSeconds(50))).findings("DOC-LIFETIME")).isEmpty();
        assertThat(check(pool(GOOD)).findings("DOC-LIFETIME")).isEmpty();
    }

    @Test
    void noIdleInTransactionTimeoutAndNoAbandonTimeoutIsAWarning() throws DoctorException {
        assertThat(check(pool(BARE)).findings("DOC-IDLETX")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.fix()).contains("ALTER ROLE " + BARE + " SET idle_in_transaction_session_timeout");
        });
        assertThat(check(pool(BARE).abandonTimeout(Duration.ofMinutes(5))).findings("DOC-IDLETX")).isEmpty();
        assertThat(check(pool(GOOD)).findings("DOC-IDLETX")).isEmpty();
    }

    @Test
    void noStatementTimeoutAnywhereIsAWarning() throws DoctorException {
        assertThat(check(pool(BARE)).findings("DOC-STMT")).singleElement()
                .satisfies(f -> assertThat(f.message()).startsWith("statement_timeout is off"));
        assertThat(check(pool(BARE).connectionInitSql("SET statement_timeout = '10s'")).findings("DOC-STMT")).isEmpty();
        assertThat(check(pool(GOOD)).findings("DOC-STMT")).isEmpty();
    }

    @Test
    void aDeclaredNetworkIdleLimitBelowTheKeepaliveIsAnError() throws DoctorException {
        Doctor tooSlow = Doctor.builder(pool(GOOD).build()).networkIdleTimeout(Duration.ofSeconds(90)).build();
        assertThat(tooSlow.run().findings("DOC-KEEPALIVE")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.message()).contains("keepaliveTime=2m");
        });
        Doctor fine = Doctor.builder(pool(GOOD).keepaliveTime(Duration.ofMinutes(1)).build()).networkIdleTimeout(Duration.ofSeconds(90)).build();
        assertThat(fine.run().findings("DOC-KEEPALIVE")).isEmpty();
    }

    @Test
    void aPoolBelowTheNestedAcquisitionMinimumDeadlocks() throws DoctorException {
        Doctor small = Doctor.builder(pool(GOOD).maximumPoolSize(4).build()).threads(4).connectionsPerThread(2).build();
        assertThat(small.run().findings("DOC-SIZE")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.message()).contains("need maximumPoolSize ≥ 4 × (2 − 1) + 1 = 5");
        });
        Doctor enough = Doctor.builder(pool(GOOD).maximumPoolSize(5).build()).threads(4).connectionsPerThread(2).build();
        assertThat(enough.run().findings("DOC-SIZE")).isEmpty();
    }

    @Test
    void moreConnectionsThanTheLocalServersCoresCanUseIsAWarning() throws DoctorException {
        int cores = Runtime.getRuntime().availableProcessors();
        int tooMany = 4 * cores + 1;
        assertThat(check(pool(GOOD).maximumPoolSize(tooMany)).findings("DOC-SIZE")).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.WARNING));
        assertThat(check(pool(GOOD).maximumPoolSize(4 * cores)).findings("DOC-SIZE")).isEmpty();
    }

    @Test
    void aSuperuserIsAWarningNeverAnError() throws DoctorException {
        DoctorReport r = check(pool("postgres").maximumPoolSize(2));

        assertThat(r.findings("DOC-SUPERUSER")).singleElement().satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.WARNING));
        assertThat(check(pool(GOOD)).findings("DOC-SUPERUSER")).isEmpty();
    }

    @Test
    void aDriverConnectTimeoutLongerThanTheConnectionTimeoutIsAWarning() throws DoctorException {
        SluiceConfig.Builder slow = pool(GOOD).jdbcUrl(Servers.POSTGRES_URL + "?connectTimeout=60").connectionTimeout(Duration.ofSeconds(5));
        assertThat(check(slow).findings("DOC-TIMEOUTS")).singleElement()
                .satisfies(f -> assertThat(f.message()).startsWith("the driver's connectTimeout=1m is longer than connectionTimeout=5s"));
        assertThat(check(pool(GOOD).dataSourceProperty("socketTimeout", "20")).findings("DOC-TIMEOUTS")).singleElement()
                .satisfies(f -> assertThat(f.message()).startsWith("socketTimeout=20s is not longer than statement_timeout=30s"));
        assertThat(check(pool(GOOD).dataSourceProperty("socketTimeout", "60")).findings("DOC-TIMEOUTS")).isEmpty();
    }

    @Test
    void reachReportsTheConnectAndThePrimaryIsNoRoleFinding() throws DoctorException {
        DoctorReport r = check(pool(GOOD));

        assertThat(r.findings("DOC-REACH")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.INFO);
            assertThat(f.message()).startsWith("connected to PostgreSQL ").contains(" as " + GOOD).contains("without TLS");
        });
        assertThat(r.server()).containsEntry("replica", false).containsEntry("tls", false).containsEntry("superuser", false);
        assertThat(r.findings("DOC-ROLE")).isEmpty();
    }

    @Test
    void theCheckOnlyReadsAndStaysWithinItsBudget() throws DoctorException {
        long start = System.nanoTime();
        DoctorReport r = check(pool(GOOD));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // The role runs every transaction read-only: a write would have failed and been reported as unreadable.
        assertThat(r.server()).doesNotContainKey("unreadable").containsKeys("max_connections", "statement_timeout");
        // Budget 2 s; the bound is wide because the machine is shared and the first connect loads the driver.
        assertThat(took).isLessThan(Doctor.CHECK_BUDGET.plusSeconds(5));
    }

    @Test
    void aHugePoolIsAboveWhatThisJvmCanHold() throws DoctorException {
        assertThat(check(pool(GOOD).maximumPoolSize(9000)).findings("DOC-FD")).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.WARNING));
        assertThat(check(pool(GOOD)).findings("DOC-FD")).isEmpty();
    }
}
