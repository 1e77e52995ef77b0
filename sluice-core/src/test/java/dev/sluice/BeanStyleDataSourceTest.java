package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stub.StubDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The no-argument constructor and setters that frameworks use when they only know the class name
 * (Spring Boot's {@code DataSourceBuilder}): the pool starts on first use with what was set.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BeanStyleDataSourceTest {
    private final StubDatabase db = StubDatabase.create();

    @Test
    void startsOnFirstUseWithTheKnobsSetBefore() throws Exception {
        try (SluiceDataSource ds = new SluiceDataSource()) {
            ds.setUrl(db.url());
            ds.setUsername("app");
            ds.setPassword("bean-secret");
            ds.setPoolName("bean");
            ds.resize(3, 1);
            ds.setConnectionTimeout(Duration.ofSeconds(2));
            assertThat(db.connectAttempts.get()).as("nothing connects before first use").isZero();
            assertThat(ds.toString()).contains("not started").doesNotContain("bean-secret");
            assertThat(ds.getJdbcUrl()).isEqualTo(db.url());

            try (Connection c = ds.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
            assertThat(ds.poolName()).isEqualTo("bean");
            assertThat(ds.stats().maximumPoolSize()).isEqualTo(3);
            assertThat(ds.config().connectionTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(ds.config().username()).isEqualTo("app");
            assertThatThrownBy(() -> ds.setJdbcUrl("jdbc:stub:other")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("jdbcUrl").hasMessageContaining("started");
        }
    }

    @Test
    void anIncompleteConfigurationFailsTheBorrowWithTheKnobNamedAndCanBeFixed() throws Exception {
        try (SluiceDataSource ds = new SluiceDataSource()) {
            assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.INVALID_CONFIG))
                    .hasMessageContaining("jdbcUrl");
            ds.setJdbcUrl(db.url());
            try (Connection c = ds.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
        }
    }

    @Test
    void callersArrivingWhileTheFirstUseStartsThePoolWaitNoLongerThanTheirDeadline() throws Exception {
        db.connectDelayMillis = 1500; // the start-up check takes this long
        try (SluiceDataSource ds = new SluiceDataSource()) {
            ds.setUrl(db.url());
            ds.setConnectionTimeout(Duration.ofSeconds(5));
            Thread first = new Thread(() -> {
                try (Connection c = ds.getConnection()) {
                    c.isValid(1);
                } catch (SQLException ignored) {
                    // only the second caller is under test
                }
            });
            first.start();
            Thread.sleep(100); // the first caller is starting the pool
            long start = System.nanoTime();
            try (Deadline d = Deadline.after(Duration.ofMillis(200))) {
                assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(SluiceFailure.reasonOf(e)).contains(FailureReason.ACQUIRE_TIMEOUT))
                        .hasMessageContaining("still starting");
                assertThat(d.isExpired()).isTrue();
            }
            // Wide bound (a loaded machine), far below the 1.4 s the start still had to go.
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(700);
            first.join(10_000);
            try (Connection c = ds.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
        } finally {
            db.connectDelayMillis = 0;
        }
    }

    @Test
    void aBadValueIsRejectedWhenSetNamingTheKnob() {
        SluiceDataSource ds = new SluiceDataSource();
        assertThatThrownBy(() -> ds.resize(0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maximumPoolSize");
    }

    @Test
    void closingBeforeStartMeansItNeverStarts() {
        SluiceDataSource ds = new SluiceDataSource();
        ds.setJdbcUrl(db.url());
        ds.close();
        assertThat(ds.isClosed()).isTrue();
        assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.POOL_CLOSED));
        assertThat(db.connectAttempts.get()).isZero();
    }

    @Test
    void aPoolBuiltFromAConfigRefusesBeanSetters() throws Exception {
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).build())) {
            assertThatThrownBy(() -> ds.setUsername("x")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("SluiceConfig");
        }
    }
}
