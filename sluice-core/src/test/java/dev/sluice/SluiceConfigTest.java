package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SluiceConfigTest {

    private static SluiceConfig.Builder base() {
        return SluiceConfig.builder().jdbcUrl("jdbc:stub:x");
    }

    @Test
    void defaultsMatchHikariWhereHikariHasTheKnob() {
        SluiceConfig c = base().build();
        assertThat(c.maximumPoolSize()).isEqualTo(10);
        assertThat(c.minimumIdle()).isEqualTo(10);
        assertThat(c.maxIdle()).isEqualTo(10);
        assertThat(c.connectionTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.maxLifetime()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.validationTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.autoCommit()).isTrue();
        assertThat(c.poolName()).startsWith("sluice-");
    }

    @Test
    void invalidKnobsNameTheKnobTheValueAndTheRange() {
        assertThatThrownBy(() -> base().maximumPoolSize(0)).hasMessage("maximumPoolSize=0 must be between 1 and 10000");
        assertThatThrownBy(() -> base().connectionTimeout(Duration.ofMillis(10)))
                .hasMessage("connectionTimeout=10ms must be at least 50ms");
        assertThatThrownBy(() -> base().maxLifetime(Duration.ofMillis(500)))
                .hasMessage("maxLifetime=500ms must be 0 (off) or at least 1s");
        assertThatThrownBy(() -> base().validationBypassWindow(Duration.ofMinutes(5)))
                .hasMessage("validationBypassWindow=300s must be between 0 and 60s");
        assertThatThrownBy(() -> base().maxConcurrentCreates(65)).hasMessage("maxConcurrentCreates=65 must be between 1 and 64");
        assertThatThrownBy(() -> base().jdbcUrl("postgresql://x")).hasMessage("jdbcUrl='postgresql://x' must start with 'jdbc:'");
        assertThatThrownBy(() -> base().leakDetectionStacks("PARTIAL"))
                .hasMessageStartingWith("leakDetectionStacks='PARTIAL' must be one of FRAME, FULL");
        assertThat(base().build().leakDetectionStacks()).isEqualTo(BorrowStack.FRAME);
        assertThatThrownBy(() -> base().transactionIsolation(3)).hasMessageStartingWith("transactionIsolation=3 must be one of");
    }

    @Test
    void fleetKnobsAreCheckedAndReadFromProperties() {
        assertThatThrownBy(() -> base().fleet("orders; drop table x")).hasMessage(
                "fleet='orders; drop table x' must be 1-16 characters of letters, digits, '_' and '-'");
        assertThatThrownBy(() -> base().fleet("a-fleet-name-too-long")).hasMessageStartingWith("fleet='a-fleet-name-too-long' must be 1-16");
        assertThatThrownBy(() -> base().fleetInstance("web:1")).hasMessageStartingWith("fleetInstance='web:1' must be 1-20 characters");
        assertThatThrownBy(() -> base().fleetBudget(1)).hasMessage("fleetBudget=1 must be 0 (derive from the server) or between 2 and 100000");
        assertThatThrownBy(() -> base().fleetInterval(Duration.ofMillis(10))).hasMessage("fleetInterval=10ms must be at least 50ms");
        java.util.Properties p = new java.util.Properties();
        p.setProperty("jdbcUrl", "jdbc:h2:mem:fleet");
        p.setProperty("fleet", "orders");
        p.setProperty("fleetInstance", "web-1");
        p.setProperty("fleetBudget", "40");
        p.setProperty("fleetInterval", "250ms");
        SluiceConfig c = SluiceConfig.fromProperties(p);
        assertThat(c.fleet()).isEqualTo("orders");
        assertThat(c.fleetInstance()).isEqualTo("web-1");
        assertThat(c.fleetBudget()).isEqualTo(40);
        assertThat(c.fleetInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(base().build().fleet()).isNull();
        assertThat(base().build().fleetBudget()).isZero();
    }

    @Test
    void rulesBetweenKnobsAreCheckedAtBuild() {
        assertThatThrownBy(() -> base().maximumPoolSize(4).minimumIdle(5).build())
                .hasMessage("minimumIdle=5 must be between 0 and maximumPoolSize=4");
        assertThatThrownBy(() -> base().maximumPoolSize(4).minimumIdle(2).maxIdle(1).build())
                .hasMessage("maxIdle=1 must be between minimumIdle=2 and maximumPoolSize=4");
        assertThatThrownBy(() -> base().connectionTimeout(Duration.ofSeconds(1)).validationTimeout(Duration.ofSeconds(2)).build())
                .hasMessage("validationTimeout=2s must not exceed connectionTimeout=1s");
        assertThatThrownBy(() -> base().maxLifetime(Duration.ofMinutes(1)).idleTimeout(Duration.ofMinutes(2)).build())
                .hasMessage("idleTimeout=120s must be 0 or less than maxLifetime=60s");
        assertThatThrownBy(() -> SluiceConfig.builder().build()).hasMessage("jdbcUrl is required (or set dataSource)");
    }

    @Test
    void minimumIdleDefaultsToMaximumPoolSizeLikeHikari() {
        assertThat(base().maximumPoolSize(3).build().minimumIdle()).isEqualTo(3);
        assertThat(base().maximumPoolSize(3).minimumIdle(1).build().maxIdle()).isEqualTo(3);
    }

    @Test
    void hikariPropertiesConfigureSluiceUnchanged() {
        Properties p = new Properties();
        p.setProperty("jdbcUrl", "jdbc:postgresql://localhost/app");
        p.setProperty("username", "app");
        p.setProperty("password", "s3cret");
        p.setProperty("maximumPoolSize", "20");
        p.setProperty("minimumIdle", "5");
        p.setProperty("connectionTimeout", "2500");
        p.setProperty("idleTimeout", "60000");
        p.setProperty("maxLifetime", "1800000");
        p.setProperty("keepaliveTime", "30000");
        p.setProperty("validationTimeout", "1000");
        p.setProperty("leakDetectionThreshold", "2000");
        p.setProperty("leakDetectionStacks", "full");
        p.setProperty("initializationFailTimeout", "-1");
        p.setProperty("autoCommit", "false");
        p.setProperty("transactionIsolation", "TRANSACTION_REPEATABLE_READ");
        p.setProperty("readOnly", "true");
        p.setProperty("poolName", "orders");
        p.setProperty("connectionInitSql", "set application_name = 'orders'");
        p.setProperty("dataSource.sslmode", "disable");
        p.setProperty("maxIdle", "8");
        p.setProperty("maxIdleTime", "5m");
        SluiceConfig c = SluiceConfig.fromProperties(p);
        assertThat(c.maximumPoolSize()).isEqualTo(20);
        assertThat(c.minimumIdle()).isEqualTo(5);
        assertThat(c.maxIdle()).isEqualTo(8);
        assertThat(c.connectionTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.keepaliveTime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.maxIdleTime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.leakDetectionThreshold()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.leakDetectionStacks()).isEqualTo(BorrowStack.FULL);
        assertThat(c.initializationFailTimeout()).isEqualTo(Duration.ofMillis(-1));
        assertThat(c.autoCommit()).isFalse();
        assertThat(c.readOnly()).isTrue();
        assertThat(c.transactionIsolation()).isEqualTo(Connection.TRANSACTION_REPEATABLE_READ);
        assertThat(c.poolName()).isEqualTo("orders");
        assertThat(c.dataSourceProperties().getProperty("sslmode")).isEqualTo("disable");
    }

    @Test
    void unknownOrMalformedPropertiesAreReportedByName() {
        Properties typo = new Properties();
        typo.setProperty("jdbcUrl", "jdbc:stub:x");
        typo.setProperty("maximumPoolsize", "5");
        assertThatThrownBy(() -> SluiceConfig.fromProperties(typo)).hasMessageStartingWith("unknown property 'maximumPoolsize'");

        Properties bad = new Properties();
        bad.setProperty("jdbcUrl", "jdbc:stub:x");
        bad.setProperty("connectionTimeout", "soon");
        assertThatThrownBy(() -> SluiceConfig.fromProperties(bad))
                .hasMessageStartingWith("connectionTimeout='soon' must be a duration");

        Properties notInt = new Properties();
        notInt.setProperty("jdbcUrl", "jdbc:stub:x");
        notInt.setProperty("maximumPoolSize", "ten");
        assertThatThrownBy(() -> SluiceConfig.fromProperties(notInt)).hasMessage("maximumPoolSize='ten' must be an integer");
    }

    @Test
    void toStringNeverShowsThePassword() {
        SluiceConfig c = base().jdbcUrl("jdbc:postgresql://h/db?user=a&password=hunter22").password("hunter22")
                .dataSourceProperty("sslpassword", "hunter22").build();
        assertThat(c.toString()).doesNotContain("hunter22").contains("password=<hidden>");
    }

    @Test
    void aBuiltConfigurationIgnoresLaterEditsOfItsBuilderAndOfItsCopies() {
        PoolListener first = new PoolListener() { };
        SluiceConfig.Builder builder = base().dataSourceProperty("ssl", "true").listener(first);
        SluiceConfig built = builder.build();

        builder.dataSourceProperty("ssl", "false").dataSourceProperty("extra", "1").listener(new PoolListener() { }).maximumPoolSize(3);
        built.toBuilder().dataSourceProperty("ssl", "copy").listener(new PoolListener() { }).poolName("copy").build();
        built.dataSourceProperties().setProperty("ssl", "returned copy");

        assertThat(built.dataSourceProperties()).containsOnly(Map.entry("ssl", "true"));
        assertThat(built.listeners()).containsExactly(first);
        assertThat(built.maximumPoolSize()).isEqualTo(10);
        assertThat(built.origin("maximumPoolSize")).isEqualTo(KnobOrigin.DEFAULT);
        assertThat(built.explicitSettings()).containsOnlyKeys("jdbcUrl", "dataSourceProperties");
        assertThatThrownBy(() -> built.listeners().add(first)).isInstanceOf(UnsupportedOperationException.class);

        SluiceConfig rebuilt = builder.build();
        assertThat(rebuilt.dataSourceProperties()).containsOnly(Map.entry("ssl", "false"), Map.entry("extra", "1"));
        assertThat(rebuilt.listeners()).hasSize(2);
        assertThat(rebuilt.maximumPoolSize()).isEqualTo(3);
        SluiceConfig again = built.toBuilder().build();
        assertThat(again.dataSourceProperties()).containsOnly(Map.entry("ssl", "true"));
        assertThat(again.listeners()).containsExactly(first);
    }
}
