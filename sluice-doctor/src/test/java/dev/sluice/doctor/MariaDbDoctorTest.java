package dev.sluice.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.FailureReason;
import dev.sluice.SluiceConfig;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MariaDB rules against the real server. Server settings come per session, from the URL's
 * {@code sessionVariables} (what the pool's own connections get too), or per user; nothing global changes.
 */
class MariaDbDoctorTest {
    static final String USER = "sluice_doc_maria";
    static final String LIMITED = "sluice_doc_maria_limited";
    static final String PASSWORD = "doc-secret";
    /** What a careful operator sets: statement and idle-transaction timeouts. */
    static final String GOOD_SESSION = "?sessionVariables=max_statement_time=30,idle_transaction_timeout=60";

    @BeforeAll
    static void users() throws SQLException {
        Servers.requireMariaDb();
        Servers.createUser(USER, PASSWORD, null);
        Servers.createUser(LIMITED, PASSWORD, "MAX_USER_CONNECTIONS 5");
    }

    @AfterAll
    static void dropUsers() throws SQLException {
        try {
            Servers.dropUser(USER);
            Servers.dropUser(LIMITED);
        } catch (SQLException unreachable) {
            // requireMariaDb already reported it
        }
    }

    static SluiceConfig.Builder pool(String query) {
        return SluiceConfig.builder().jdbcUrl(Servers.MARIADB_URL + query).username(USER).password(PASSWORD).maximumPoolSize(4);
    }

    static DoctorReport check(SluiceConfig.Builder pool) throws DoctorException {
        return Doctor.builder(pool.build()).build().run();
    }

    @Test
    void waitTimeoutSixtyAndMaxLifetimeTwoMinutesIsALifetimeError() throws DoctorException {
        DoctorReport r = check(pool(GOOD_SESSION + ",wait_timeout=60").maxLifetime(Duration.ofSeconds(120)));

        assertThat(r.findings("DOC-LIFETIME")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.message()).startsWith("MariaDB closes a session idle for wait_timeout=1m (this session's value; global ")
                    .contains("maxLifetime=2m");
            assertThat(f.values()).containsEntry("wait_timeout", "1m").containsEntry("maxLifetime", "2m");
            assertThat(f.fix()).startsWith("set keepaliveTime=55s or less");
        });
        assertThat(r.hasErrors()).isTrue();
    }

    @Test
    void waitTimeoutSixtyWithAThirtySecondKeepaliveIsFine() throws DoctorException {
        DoctorReport r = check(pool(GOOD_SESSION + ",wait_timeout=60").maxLifetime(Duration.ofSeconds(120))
                .keepaliveTime(Duration.ofSeconds(30)));

        assertThat(r.findings("DOC-LIFETIME")).isEmpty();
        assertThat(r.server()).containsEntry("wait_timeout", "1m");
    }

    @Test
    void aFleetAboveTheUsersMaxUserConnectionsIsAnError() throws DoctorException {
        SluiceConfig.Builder limited = pool(GOOD_SESSION).username(LIMITED);
        DoctorReport r = Doctor.builder(limited.maximumPoolSize(3).build()).instances(2).build().run();

        assertThat(r.findings("DOC-MARIADB")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.message()).contains("max_user_connections=5 for this user");
        });
        assertThat(Doctor.builder(limited.maximumPoolSize(5).build()).build().run().findings("DOC-MARIADB")).isEmpty();
    }

    @Test
    void noIdleTransactionTimeoutAndNoStatementTimeoutAreWarnings() throws DoctorException {
        DoctorReport bare = check(pool(""));

        assertThat(bare.findings("DOC-IDLETX")).singleElement()
                .satisfies(f -> assertThat(f.fix()).startsWith("sessionVariables=idle_transaction_timeout=60 in the URL"));
        assertThat(bare.findings("DOC-STMT")).singleElement()
                .satisfies(f -> assertThat(f.message()).startsWith("max_statement_time is off"));
        DoctorReport good = check(pool(GOOD_SESSION));
        assertThat(good.findings("DOC-IDLETX")).isEmpty();
        assertThat(good.findings("DOC-STMT")).isEmpty();
    }

    @Test
    void theCheckReadsTheServerAsAnOrdinaryUser() throws DoctorException {
        DoctorReport r = check(pool(GOOD_SESSION));

        assertThat(r.server()).doesNotContainKey("unreadable")
                .containsEntry("superuser", false).containsEntry("replica", false)
                .containsKeys("max_connections", "max_user_connections", "max_connect_errors", "wait_timeout_global", "other_connections");
        assertThat(r.findings("DOC-SUPERUSER")).isEmpty();
        assertThat(r.findings("DOC-ROLE")).isEmpty();
    }

    @Test
    void rootIsASuperuserWarning() throws DoctorException {
        DoctorReport r = check(SluiceConfig.builder().jdbcUrl(Servers.MARIADB_URL).username("root").password("").maximumPoolSize(2));

        assertThat(r.findings("DOC-SUPERUSER")).singleElement().satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.WARNING));
    }

    @Test
    void aWrongPasswordMeansTheCheckCouldNotRun() {
        assertThatThrownBy(() -> check(pool("").password("not-" + PASSWORD)))
                .isInstanceOf(DoctorException.class)
                .satisfies(e -> assertThat(((DoctorException) e).reason()).isEqualTo(FailureReason.AUTHENTICATION_FAILED))
                .hasMessageStartingWith("AUTHENTICATION_FAILED (fix the configuration): ")
                .hasMessageNotContaining("not-" + PASSWORD)
                .hasMessageNotContaining("\n");
    }
}
