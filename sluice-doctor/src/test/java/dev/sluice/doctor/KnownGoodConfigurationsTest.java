package dev.sluice.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.SluiceConfig;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ten configurations an operator would call right, on the three databases: none may draw a
 * warning or an error. This is what keeps the rules from crying wolf. Pools stay within four
 * connections per core of this machine, since the local servers share its cores.
 */
class KnownGoodConfigurationsTest {
    static final String PG_ROLE = "sluice_doc_known_good";
    static final String PG_IDLE_ROLE = "sluice_doc_known_good_idle";
    static final String MARIA_USER = "sluice_doc_known_good";
    static final String MARIA_PASSWORD = "known-good";
    static final String MARIA_SESSION = "?sessionVariables=max_statement_time=30,idle_transaction_timeout=120";

    record Case(String name, UnaryOperator<Doctor.Builder> facts, SluiceConfig.Builder config) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void fixtures() throws SQLException {
        Servers.requirePostgres();
        Servers.requireMariaDb();
        Servers.createRole(PG_ROLE, "SET statement_timeout = '30s'", "SET idle_in_transaction_session_timeout = '60s'");
        Servers.createRole(PG_IDLE_ROLE, "SET statement_timeout = '30s'", "SET idle_in_transaction_session_timeout = '60s'",
                "SET idle_session_timeout = '10min'");
        Servers.createUser(MARIA_USER, MARIA_PASSWORD, null);
    }

    @AfterAll
    static void drop() throws SQLException {
        try {
            Servers.dropRole(PG_ROLE);
            Servers.dropRole(PG_IDLE_ROLE);
            Servers.dropUser(MARIA_USER);
        } catch (SQLException unreachable) {
            // the fixtures reported it
        }
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    static SluiceConfig.Builder pg(String role) {
        return SluiceConfig.builder().jdbcUrl(Servers.POSTGRES_URL).username(role);
    }

    static SluiceConfig.Builder maria(String session) {
        return SluiceConfig.builder().jdbcUrl(Servers.MARIADB_URL + session).username(MARIA_USER).password(MARIA_PASSWORD);
    }

    static Stream<Arguments> cases() {
        int small = Math.min(2 * cores(), 10);
        return Stream.of(
                new Case("PostgreSQL, defaults but a pool sized for the cores", b -> b, pg(PG_ROLE).maximumPoolSize(small)),
                new Case("PostgreSQL, two instances", b -> b.instances(2), pg(PG_ROLE).maximumPoolSize(cores())),
                new Case("PostgreSQL, behind a firewall with a 5 min idle limit", b -> b.networkIdleTimeout(Duration.ofMinutes(5)),
                        pg(PG_ROLE).maximumPoolSize(small).keepaliveTime(Duration.ofSeconds(60))),
                new Case("PostgreSQL, idle_session_timeout 10 min, short lifetime", b -> b,
                        pg(PG_IDLE_ROLE).maximumPoolSize(small).minimumIdle(1).maxLifetime(Duration.ofMinutes(9)).idleTimeout(Duration.ofMinutes(2))),
                new Case("PostgreSQL, nested acquisition sized for", b -> b.threads(3).connectionsPerThread(2),
                        pg(PG_ROLE).maximumPoolSize(Math.max(4, small)).connectionTimeout(Duration.ofSeconds(5))),
                new Case("MariaDB, defaults but a pool sized for the cores", b -> b, maria(MARIA_SESSION).maximumPoolSize(small)),
                new Case("MariaDB, wait_timeout 10 min", b -> b, maria(MARIA_SESSION + ",wait_timeout=600").maximumPoolSize(small)),
                new Case("MariaDB, wait_timeout 60 s with a 30 s keepalive", b -> b,
                        maria(MARIA_SESSION + ",wait_timeout=60").maximumPoolSize(small).keepaliveTime(Duration.ofSeconds(30))
                                .maxLifetime(Duration.ofMinutes(10))),
                new Case("MariaDB, an abandon timeout instead of the server's idle-transaction timeout", b -> b,
                        maria("?sessionVariables=max_statement_time=30").maximumPoolSize(small).abandonTimeout(Duration.ofMinutes(1))),
                new Case("H2 in memory, defaults", b -> b, SluiceConfig.builder().jdbcUrl("jdbc:h2:mem:known-good")))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void drawsNoWarningAndNoError(Case c) throws DoctorException {
        DoctorReport r = c.facts().apply(Doctor.builder(c.config().build())).build().run();

        assertThat(r.findings()).as(r.toText()).allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.INFO));
        assertThat(r.findings("DOC-REACH")).hasSize(1);
    }
}
