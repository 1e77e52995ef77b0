package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stub.StubConnection;
import dev.sluice.stub.StubDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The javax.sql and java.sql contracts frameworks rely on, as docs/jdbc-contracts.md lists them:
 * the behaviour a HikariCP user gets, or Sluice's documented difference.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JdbcContractsTest {
    private final StubDatabase db = StubDatabase.create();

    private SluiceDataSource pool(int size) throws SQLException {
        return new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).maximumPoolSize(size).minimumIdle(size).build());
    }

    @Test
    void setLoginTimeoutSetsConnectionTimeoutInSecondsAndZeroRestoresTheDefault() throws Exception {
        try (SluiceDataSource ds = pool(1)) {
            ds.setLoginTimeout(7);
            assertThat(ds.getLoginTimeout()).isEqualTo(7);
            ds.setLoginTimeout(0);
            assertThat(ds.getLoginTimeout()).isEqualTo(30);
            assertThatThrownBy(() -> ds.setLoginTimeout(-1)).isInstanceOf(SQLException.class).hasMessageContaining("loginTimeout=-1s");
        }
    }

    @Test
    void setLoginTimeoutBoundsTheNextAcquisition() throws Exception {
        try (SluiceDataSource ds = pool(1); Connection held = ds.getConnection()) {
            ds.setLoginTimeout(1);
            long start = System.nanoTime();
            assertThatThrownBy(ds::getConnection).satisfies(e -> assertThat(SluiceFailure.reasonOf(e)).contains(FailureReason.ACQUIRE_TIMEOUT));
            // Wide: the bound is 1 s; a loaded machine may add a little, the old 30 s default would add much more.
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(900L, 3000L);
            assertThat(held.isValid(1)).isTrue();
        }
    }

    @Test
    void getLoginTimeoutRoundsAFractionalConnectionTimeoutUp() throws Exception {
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url())
                .connectionTimeout(Duration.ofMillis(1500)).build())) {
            assertThat(ds.getLoginTimeout()).isEqualTo(2);
        }
    }

    @Test
    void aBeanStyleDataSourceTakesTheLoginTimeoutBeforeItStarts() throws Exception {
        try (SluiceDataSource ds = new SluiceDataSource()) {
            ds.setUrl(db.url());
            ds.setLoginTimeout(4);
            assertThat(ds.getLoginTimeout()).isEqualTo(4);
            try (Connection c = ds.getConnection()) {
                assertThat(ds.config().connectionTimeout()).isEqualTo(Duration.ofSeconds(4));
            }
        }
    }

    @Test
    void theLogWriterIsKeptAndTheParentLoggerIsSluices() throws Exception {
        try (SluiceDataSource ds = pool(1)) {
            assertThat(ds.getLogWriter()).isNull();
            PrintWriter w = new PrintWriter(new StringWriter());
            ds.setLogWriter(w);
            assertThat(ds.getLogWriter()).isSameAs(w);
            assertThat(ds.getParentLogger().getName()).isEqualTo("dev.sluice");
        }
    }

    @Test
    void getConnectionWithCredentialsIsNotSupportedAsInHikariCp() throws Exception {
        try (SluiceDataSource ds = pool(1)) {
            assertThatThrownBy(() -> ds.getConnection("u", "p")).isInstanceOf(SQLFeatureNotSupportedException.class);
        }
    }

    @Test
    void theDataSourceUnwrapsToItselfOnly() throws Exception {
        try (SluiceDataSource ds = pool(1)) {
            assertThat(ds.isWrapperFor(DataSource.class)).isTrue();
            assertThat(ds.unwrap(SluiceDataSource.class)).isSameAs(ds);
            assertThat(ds.isWrapperFor(StringWriter.class)).isFalse();
            assertThatThrownBy(() -> ds.unwrap(StringWriter.class)).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void warningsLeftByABorrowerAreClearedBeforeTheNextBorrower() throws Exception {
        try (SluiceDataSource ds = pool(1)) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("select 1");
                StubConnection.of(c.unwrap(StubConnection.Physical.class)).warning = new SQLWarning("left behind");
                assertThat((Object) c.getWarnings()).isNotNull();
            }
            try (Connection c = ds.getConnection()) {
                assertThat((Object) c.getWarnings()).isNull();
            }
        }
    }

    @Test
    void aClosedConnectionIsClosedClosesTwiceAndRefusesUseWith08003() throws Exception {
        try (SluiceDataSource ds = pool(1)) {
            Connection c = ds.getConnection();
            Statement s = c.createStatement();
            assertThat(s.getConnection()).isSameAs(c);
            c.close();
            assertThat(c.isClosed()).isTrue();
            assertThat(c.isValid(1)).isFalse();
            assertThatCode(c::close).doesNotThrowAnyException();
            assertThatThrownBy(c::createStatement).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08003"));
            assertThatThrownBy(() -> s.execute("select 1")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08003"));
            assertThat(s.isClosed()).isTrue();
        }
    }

    @Test
    void abortClosesThePhysicalConnectionAndFreesItsSlot() throws Exception {
        try (SluiceDataSource ds = pool(1)) {
            Connection c = ds.getConnection();
            StubConnection physical = StubConnection.of(c.unwrap(StubConnection.Physical.class));
            assertThatThrownBy(() -> c.abort(null)).isInstanceOf(SQLException.class).hasMessageContaining("executor");
            assertThat(c.isClosed()).as("a refused abort leaves the connection alone").isFalse();
            c.abort(Runnable::run);
            assertThat(c.isClosed()).isTrue();
            assertThat(physical.aborted || physical.closed).isTrue();
            assertThatCode(c::close).doesNotThrowAnyException();
            try (Connection next = ds.getConnection()) {
                assertThat(StubConnection.of(next.unwrap(StubConnection.Physical.class))).isNotSameAs(physical);
            }
            assertThat(ds.stats().closed(CloseReason.ABORTED)).isEqualTo(1);
        }
    }
}
