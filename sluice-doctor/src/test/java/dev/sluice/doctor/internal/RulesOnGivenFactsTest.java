package dev.sluice.doctor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.SluiceConfig;
import dev.sluice.doctor.Finding;
import dev.sluice.doctor.Severity;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules whose triggers cannot be set up on shared servers (a replica, a remote host, a small
 * descriptor limit, a slow network), applied to facts given by the test, each beside the same
 * facts that do not trigger it.
 */
class RulesOnGivenFactsTest {
    static final MachineFacts ROOMY = new MachineFacts(8, 4L << 30, 65_536, 7200);

    static ServerFacts postgres() {
        ServerFacts f = new ServerFacts();
        f.product = ServerFacts.Product.POSTGRESQL;
        f.productName = "PostgreSQL";
        f.version = "16.4";
        f.user = "app";
        f.host = "db.internal";
        f.loopback = false;
        f.connectMillis = 12;
        f.tls = true;
        f.replica = false;
        f.superuser = false;
        return f;
    }

    static ServerFacts mariaDb() {
        ServerFacts f = postgres();
        f.product = ServerFacts.Product.MARIADB;
        f.productName = "MariaDB";
        f.maxConnectErrors = 100L;
        return f;
    }

    static List<Finding> findings(SluiceConfig config, ServerFacts s, MachineFacts m, String id) {
        CheckInput in = new CheckInput(config, 1, null, null, null, DriverSettings.of(config), m);
        return Rules.apply(in, s).sorted().stream().filter(f -> f.id().equals(id)).toList();
    }

    static SluiceConfig config(int max) {
        return SluiceConfig.builder().jdbcUrl("jdbc:postgresql://db.internal/app").maximumPoolSize(max).build();
    }

    @Test
    void aReplicaWhereThePoolExpectsAPrimaryIsAnError() {
        ServerFacts replica = postgres();
        replica.replica = true;

        assertThat(findings(config(10), replica, ROOMY, "DOC-ROLE")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.message()).contains("pg_is_in_recovery() is true");
        });
        SluiceConfig readOnly = SluiceConfig.builder().jdbcUrl("jdbc:postgresql://db.internal/app").readOnly(true).build();
        assertThat(findings(readOnly, replica, ROOMY, "DOC-ROLE")).isEmpty();
        assertThat(findings(config(10), postgres(), ROOMY, "DOC-ROLE")).isEmpty();
    }

    @Test
    void aLowMaxConnectErrorsOnARemoteServerIsAWarning() {
        SluiceConfig twenty = SluiceConfig.builder().jdbcUrl("jdbc:mariadb://db.internal/app").maximumPoolSize(20).build();

        assertThat(findings(twenty, mariaDb(), ROOMY, "DOC-MARIADB")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.message()).startsWith("max_connect_errors=100 is below 10 refills of a pool of 20");
        });
        ServerFacts local = mariaDb();
        local.loopback = true; // the server never blocks a loopback client
        assertThat(findings(twenty, local, ROOMY, "DOC-MARIADB")).isEmpty();
        assertThat(findings(config(10), mariaDb(), ROOMY, "DOC-MARIADB")).isEmpty();
    }

    @Test
    void aPoolLargerThanTheDescriptorLimitCannotWorkAndOneNearItIsAWarning() {
        MachineFacts small = new MachineFacts(8, 4L << 30, 1024, 7200);

        assertThat(findings(config(2000), postgres(), small, "DOC-FD")).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.ERROR));
        assertThat(findings(config(900), postgres(), small, "DOC-FD")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.message()).contains("file descriptors: 1024 − 256 for the application = 768");
        });
        assertThat(findings(config(700), postgres(), small, "DOC-FD")).isEmpty();
    }

    @Test
    void plainTextToARemoteHostAndASlowConnectAreReachWarnings() {
        ServerFacts plain = postgres();
        plain.tls = false;
        assertThat(findings(config(10), plain, ROOMY, "DOC-REACH")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.message()).contains("unencrypted");
        });
        ServerFacts slow = postgres();
        slow.connectMillis = 20_000;
        assertThat(findings(config(10), slow, ROOMY, "DOC-REACH")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("more than half of connectionTimeout=30s"));
        assertThat(findings(config(10), postgres(), ROOMY, "DOC-REACH")).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.INFO));
    }

    @Test
    void tcpKeepaliveBelowTheNetworkLimitCoversAnIdlePool() {
        SluiceConfig config = config(10);
        CheckInput fastTcp = new CheckInput(config, 1, Duration.ofMinutes(1), null, null, DriverSettings.of(config),
                new MachineFacts(8, 4L << 30, 65_536, 30));
        CheckInput slowTcp = new CheckInput(config, 1, Duration.ofMinutes(1), null, null, DriverSettings.of(config), ROOMY);

        assertThat(Rules.apply(fastTcp, postgres()).sorted()).filteredOn(f -> f.id().equals("DOC-KEEPALIVE")).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.INFO));
        assertThat(Rules.apply(slowTcp, postgres()).sorted()).filteredOn(f -> f.id().equals("DOC-KEEPALIVE")).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.ERROR));
    }

    @Test
    void abandonTimeoutAtOrBelowTheStatementTimeoutIsAWarning() {
        ServerFacts s = postgres();
        s.statementTimeoutName = "statement_timeout";
        s.statementTimeout = Duration.ofSeconds(30);
        SluiceConfig early = SluiceConfig.builder().jdbcUrl("jdbc:postgresql://db.internal/app").abandonTimeout(Duration.ofSeconds(20)).build();
        SluiceConfig late = SluiceConfig.builder().jdbcUrl("jdbc:postgresql://db.internal/app").abandonTimeout(Duration.ofMinutes(1)).build();

        assertThat(findings(early, s, ROOMY, "DOC-TIMEOUTS")).singleElement()
                .satisfies(f -> assertThat(f.message()).startsWith("abandonTimeout=20s is not longer than statement_timeout=30s"));
        assertThat(findings(late, s, ROOMY, "DOC-TIMEOUTS")).isEmpty();
    }

    @Test
    void aFleetAboveEightyPercentOfTheBudgetIsAWarning() {
        ServerFacts s = postgres();
        s.maxConnections = 100L;
        s.reservedConnections = 3L;
        s.reservedBy = "superuser_reserved_connections=3";
        s.otherConnections = 7L; // 90 left: 72 is 80%
        SluiceConfig forty = config(40);
        SluiceConfig thirtySix = config(36);

        assertThat(Rules.apply(new CheckInput(forty, 2, null, null, null, DriverSettings.of(forty), ROOMY), s).sorted())
                .filteredOn(f -> f.id().equals("DOC-BUDGET")).singleElement().satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(Severity.WARNING);
                    assertThat(f.message()).startsWith("2 instances × maximumPoolSize=40 = 80 connections is above 80% of the 90");
                    assertThat(f.fix()).startsWith("keep the fleet at or below 72 connections (maximumPoolSize=36 per instance)");
                });
        assertThat(Rules.apply(new CheckInput(thirtySix, 2, null, null, null, DriverSettings.of(thirtySix), ROOMY), s).sorted())
                .noneMatch(f -> f.id().equals("DOC-BUDGET"));
    }
}
