package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stub.StubDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A knob left unset never makes one that was set invalid: its default gives way, the origin of
 * every value is known, and only contradictions between set values fail, all reported at once.
 */
class DerivedDefaultsTest {

    private static SluiceConfig.Builder base() {
        return SluiceConfig.builder().jdbcUrl("jdbc:stub:x");
    }

    @Test
    void aShortMaxLifetimeSwitchesOffTheDefaultIdleTimeoutAndKeepalive() {
        SluiceConfig c = base().maxLifetime(Duration.ofSeconds(60)).build();
        assertThat(c.maxLifetime()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.idleTimeout()).isZero();
        assertThat(c.keepaliveTime()).isZero();
        assertThat(c.origin("maxLifetime")).isEqualTo(KnobOrigin.SET);
        assertThat(c.origin("idleTimeout")).isEqualTo(KnobOrigin.DERIVED);
        assertThat(c.origin("keepaliveTime")).isEqualTo(KnobOrigin.DERIVED);
        assertThat(c.origin("connectionTimeout")).isEqualTo(KnobOrigin.DEFAULT);
        assertThat(c.derivations().get("idleTimeout"))
                .isEqualTo("idleTimeout=0 (off): the default 600s is not below maxLifetime=60s, so connections retire by age"
                        + " before they could time out idle");
        assertThat(c.derivations()).containsKey("keepaliveTime");
    }

    @Test
    void theHikariProductionFileWithFiveMinuteLifetimeBuilds() {
        Properties p = new Properties();
        p.setProperty("jdbcUrl", "jdbc:stub:x");
        p.setProperty("maxLifetime", "300000");
        SluiceConfig c = SluiceConfig.fromProperties(p);
        assertThat(c.idleTimeout()).isZero();
        assertThat(c.keepaliveTime()).isEqualTo(Duration.ofMinutes(2)); // below 5 min: untouched
        assertThat(c.origin("keepaliveTime")).isEqualTo(KnobOrigin.DEFAULT);
    }

    @Test
    void aLongSetIdleTimeoutRaisesTheDefaultMaxLifetime() {
        SluiceConfig c = base().idleTimeout(Duration.ofMinutes(45)).build();
        assertThat(c.maxLifetime()).isEqualTo(Duration.ofMinutes(90));
        assertThat(c.origin("maxLifetime")).isEqualTo(KnobOrigin.DERIVED);
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(45));
    }

    @Test
    void setValuesThatContradictEachOtherStillFail() {
        assertThatThrownBy(() -> base().maxLifetime(Duration.ofMinutes(1)).idleTimeout(Duration.ofMinutes(2)).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("idleTimeout=120s must be 0 or less than maxLifetime=60s");
        assertThatThrownBy(() -> base().maxLifetime(Duration.ofMinutes(1)).keepaliveTime(Duration.ofMinutes(1)).build())
                .hasMessage("keepaliveTime=60s must be 0 or less than maxLifetime=60s");
    }

    @Test
    void poolSizesMakeRoomForTheOneThatWasSet() {
        SluiceConfig bigMin = base().minimumIdle(20).build();
        assertThat(bigMin.maximumPoolSize()).isEqualTo(20);
        assertThat(bigMin.origin("maximumPoolSize")).isEqualTo(KnobOrigin.DERIVED);

        SluiceConfig smallMaxIdle = base().maxIdle(2).build();
        assertThat(smallMaxIdle.minimumIdle()).isEqualTo(2);
        assertThat(smallMaxIdle.maximumPoolSize()).isEqualTo(10);
        assertThat(smallMaxIdle.origin("minimumIdle")).isEqualTo(KnobOrigin.DERIVED);

        // minimumIdle following maximumPoolSize is the documented default (as HikariCP), not a derivation
        SluiceConfig sized = base().maximumPoolSize(4).build();
        assertThat(sized.minimumIdle()).isEqualTo(4);
        assertThat(sized.origin("minimumIdle")).isEqualTo(KnobOrigin.DEFAULT);
        assertThat(sized.derivations()).isEmpty();
    }

    @Test
    void timeoutsAdaptToTheOneThatWasSet() {
        SluiceConfig longValidation = base().validationTimeout(Duration.ofSeconds(45)).build();
        assertThat(longValidation.connectionTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(longValidation.origin("connectionTimeout")).isEqualTo(KnobOrigin.DERIVED);

        SluiceConfig shortConnect = base().connectionTimeout(Duration.ofSeconds(1)).build();
        assertThat(shortConnect.validationTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(shortConnect.origin("validationTimeout")).isEqualTo(KnobOrigin.DERIVED);
    }

    @Test
    void housekeepingKeepsUpWithAShortSetKnob() {
        SluiceConfig c = base().leakDetectionThreshold(Duration.ofSeconds(2)).build();
        assertThat(c.housekeepingPeriod()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.origin("housekeepingPeriod")).isEqualTo(KnobOrigin.DERIVED);
        assertThat(base().build().housekeepingPeriod()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void everyContradictionIsReportedInOneException() {
        Properties p = new Properties();
        p.setProperty("jdbcUrl", "jdbc:stub:x");
        p.setProperty("maximumPoolSize", "4");
        p.setProperty("minimumIdle", "6");
        p.setProperty("connectionTimeout", "1000");
        p.setProperty("validationTimeout", "2000");
        p.setProperty("idleTimeout", "soon");
        p.setProperty("maximumPoolsize", "5");
        assertThatThrownBy(() -> SluiceConfig.fromProperties(p))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.violations()).extracting(InvalidConfigException.Violation::knob)
                            .containsExactly("idleTimeout", "maximumPoolsize", "minimumIdle", "validationTimeout");
                    assertThat(e.knob()).isEqualTo("idleTimeout");
                    assertThat(e.value()).isEqualTo("soon");
                    assertThat(e.getMessage()).startsWith("4 configuration errors:")
                            .contains("minimumIdle=6 must be between 0 and maximumPoolSize=4")
                            .contains("validationTimeout=2s must not exceed connectionTimeout=1s")
                            .contains("unknown property 'maximumPoolsize'; did you mean maximumPoolSize?");
                });
    }

    @Test
    void aRuleIsNotReportedAgainForAValueThatCouldNotBeRead() {
        Properties p = new Properties();
        p.setProperty("jdbcUrl", "jdbc:stub:x");
        p.setProperty("maximumPoolSize", "ten");
        p.setProperty("minimumIdle", "12");
        assertThatThrownBy(() -> SluiceConfig.fromProperties(p)).isInstanceOfSatisfying(InvalidConfigException.class,
                e -> assertThat(e.violations()).hasSize(1).first().extracting(InvalidConfigException.Violation::knob)
                        .isEqualTo("maximumPoolSize"));
    }

    @Test
    void settersNameTheirKnobAndValue() {
        assertThatThrownBy(() -> base().maximumPoolSize(0)).isInstanceOfSatisfying(InvalidConfigException.class, e -> {
            assertThat(e.knob()).isEqualTo("maximumPoolSize");
            assertThat(e.value()).isEqualTo("0");
        });
        assertThatThrownBy(() -> base().idleTimeout(Duration.ofMillis(5))).isInstanceOfSatisfying(InvalidConfigException.class,
                e -> assertThat(e.value()).isEqualTo("5ms"));
    }

    @Test
    void toBuilderCarriesWhatWasSetNotTheResolvedDefaults() {
        SluiceConfig defaults = base().build();
        SluiceConfig smaller = defaults.toBuilder().maximumPoolSize(4).build();
        assertThat(smaller.minimumIdle()).isEqualTo(4);
        assertThat(smaller.maxIdle()).isEqualTo(4);

        SluiceConfig shortLived = base().maxLifetime(Duration.ofMinutes(1)).build();
        SluiceConfig longLived = shortLived.toBuilder().maxLifetime(Duration.ofHours(1)).build();
        assertThat(longLived.idleTimeout()).isEqualTo(Duration.ofMinutes(10)); // derived 0 is not carried over
        assertThat(longLived.origin("idleTimeout")).isEqualTo(KnobOrigin.DEFAULT);
        assertThat(longLived.poolName()).isNotEqualTo(shortLived.poolName()); // an unset name is not copied either
    }

    @Test
    void toStringAndDescribeShowWhereEachValueCameFrom() {
        SluiceConfig c = base().maxLifetime(Duration.ofMinutes(1)).password("hunter22")
                .dataSourceProperty("url", "jdbc:h2:mem:x;PASSWORD=hunter22").dataSourceProperty("password", "hunter22").build();
        assertThat(c.toString()).contains("maxLifetime=60s (set)", "idleTimeout=0 (derived)", "connectionTimeout=30s,",
                "password=<hidden> (set)").doesNotContain("hunter22");
        assertThat(c.describe()).containsEntry("idleTimeout", "0 (derived)").containsEntry("maximumPoolSize", "10 (default)");
        assertThat(c.explicitSettings()).containsEntry("maxLifetime", "60s").containsEntry("password", "<hidden>")
                .containsKey("dataSourceProperties");
        assertThat(c.explicitSettings().toString()).doesNotContain("hunter22");
        assertThatThrownBy(() -> c.origin("maxLifeTime")).hasMessageContaining("did you mean maxLifetime?");
    }

    @Test
    void thePoolLogsWhatItDerivedOnceAtStart() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("dev.sluice.Pool");
        logger.addHandler(capture);
        logger.setLevel(Level.INFO);
        StubDatabase db = StubDatabase.create();
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).poolName("derive-log")
                .password("hunter22").maximumPoolSize(2).maxLifetime(Duration.ofMinutes(1)).build())) {
            assertThat(ds.config().origin("idleTimeout")).isEqualTo(KnobOrigin.DERIVED);
        } finally {
            logger.removeHandler(capture);
        }
        assertThat(lines).filteredOn(l -> l.startsWith("derive-log - started:")).singleElement().asString()
                .contains("set={maxLifetime=60s, maximumPoolSize=2, password=<hidden>, poolName=derive-log");
        assertThat(lines).filteredOn(l -> l.startsWith("derive-log - derived")).singleElement().asString()
                .contains("idleTimeout=0 (off)", "keepaliveTime=0 (off)");
        assertThat(String.join("\n", lines)).doesNotContain("hunter22");
    }
}
