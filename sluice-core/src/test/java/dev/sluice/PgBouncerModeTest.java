package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stub.StubConnection;
import dev.sluice.stub.StubDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code pgbouncer} knob: what transaction mode refuses at build, the resets it skips and the
 * connections it evicts. The real PgBouncer is exercised in sluice-it's PgBouncerTest.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PgBouncerModeTest {
    private final StubDatabase db = StubDatabase.create();
    private final List<SluiceDataSource> pools = new ArrayList<>();

    @AfterEach
    void closePools() {
        pools.forEach(SluiceDataSource::close);
    }

    private SluiceConfig.Builder config(PgBouncerMode mode) {
        return SluiceConfig.builder().jdbcUrl(db.url()).maximumPoolSize(1).pgbouncer(mode);
    }

    private SluiceDataSource pool(SluiceConfig.Builder b) throws SQLException {
        SluiceDataSource ds = new SluiceDataSource(b.build());
        pools.add(ds);
        return ds;
    }

    @Test
    void offIsTheDefaultAndTheModeIsReadFromPropertiesIgnoringCase() {
        assertThat(SluiceConfig.builder().jdbcUrl(db.url()).build().pgbouncer()).isEqualTo(PgBouncerMode.OFF);
        Properties p = new Properties();
        p.setProperty("jdbcUrl", db.url());
        p.setProperty("pgbouncer", "transaction");
        assertThat(SluiceConfig.fromProperties(p).pgbouncer()).isEqualTo(PgBouncerMode.TRANSACTION);
        p.setProperty("pgbouncer", "statement");
        assertThatThrownBy(() -> SluiceConfig.fromProperties(p))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("pgbouncer='statement' must be one of OFF, TRANSACTION, SESSION");
    }

    @Test
    void transactionModeRefusesSessionStateThatTransactionPoolingWouldLoseAllInOneError() {
        assertThatThrownBy(() -> config(PgBouncerMode.TRANSACTION)
                .connectionInitSql("  set statement_timeout = 1000")
                .transactionIsolation("TRANSACTION_SERIALIZABLE")
                .schema("app")
                .catalog("other")
                .build())
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.violations())
                        .extracting(InvalidConfigException.Violation::knob)
                        .containsExactly("connectionInitSql", "transactionIsolation", "schema", "catalog"))
                .hasMessageContaining("connectionInitSql=  set statement_timeout = 1000 cannot start with SET with"
                        + " pgbouncer=TRANSACTION: it would be set on one server connection only")
                .hasMessageContaining("(pgjdbc sets it with SET SESSION CHARACTERISTICS)")
                .hasMessageContaining("schema=app cannot be set with pgbouncer=TRANSACTION")
                .hasMessageContaining("(the search_path is session state)")
                .hasMessageContaining("catalog=other cannot be set with pgbouncer=TRANSACTION");
    }

    @Test
    void transactionModeAcceptsWhatSurvivesTransactionPooling() {
        Properties driver = new Properties();
        driver.setProperty("defaultRowFetchSize", "100");
        // Portal and named statement live inside the transaction, which PgBouncer keeps on one server connection.
        assertThat(config(PgBouncerMode.TRANSACTION).dataSourceProperties(driver).autoCommit(false).build().pgbouncer())
                .isEqualTo(PgBouncerMode.TRANSACTION);
        // SETTING is not SET, and a SELECT is no session state.
        config(PgBouncerMode.TRANSACTION).connectionInitSql("select 1").autoCommit(false).readOnly(true).build();
        config(PgBouncerMode.TRANSACTION).connectionInitSql("SETTINGS_CHECK()").build();
    }

    @Test
    void offAndSessionModesRefuseNothing() {
        for (PgBouncerMode mode : List.of(PgBouncerMode.OFF, PgBouncerMode.SESSION)) {
            assertThat(config(mode).connectionInitSql("SET search_path TO app").transactionIsolation("TRANSACTION_SERIALIZABLE")
                    .schema("app").catalog("main").build().pgbouncer()).isEqualTo(mode);
        }
    }

    @Test
    void aLostPreparedStatementRetiresTheConnectionInTransactionMode() throws Exception {
        SluiceDataSource ds = pool(config(PgBouncerMode.TRANSACTION));
        db.executeFailure = new SQLException("ERROR: prepared statement \"S_1\" does not exist", "26000");
        executeAndFail(ds);
        db.executeFailure = new SQLException("ERROR: prepared statement \"S_2\" already exists", "42P05");
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("select ?")) {
            ps.setInt(1, 1);
            assertThatThrownBy(ps::executeQuery).isInstanceOf(SQLException.class);
        }
        db.executeFailure = null;
        assertThat(ds.stats().closed(CloseReason.BROKEN)).isEqualTo(2);
        // The physical close runs on a pool thread: on a loaded machine it may trail the count.
        PoolBehaviourTest.awaitUntil(() -> db.connections.get(0).closed && db.connections.get(1).closed);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("select 1"); // the third, clean connection serves
        }
    }

    @Test
    void aLostPreparedStatementIsAnOrdinaryErrorWhenPgBouncerIsOff() throws Exception {
        SluiceDataSource ds = pool(config(PgBouncerMode.OFF));
        db.executeFailure = new SQLException("ERROR: prepared statement \"S_1\" does not exist", "26000");
        executeAndFail(ds);
        assertThat(ds.stats().closed(CloseReason.BROKEN)).isZero();
        assertThat(db.connections.get(0).closed).isFalse();
    }

    @Test
    void transactionModeLeavesIsolationAndSchemaAloneOnReturn() throws Exception {
        SluiceDataSource ds = pool(config(PgBouncerMode.TRANSACTION));
        try (Connection c = ds.getConnection()) {
            c.setSchema("tenant_a");
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        }
        StubConnection raw = db.connections.get(0);
        // pgjdbc would restore these with a session-level SET on whatever server connection PgBouncer lends next.
        assertThat(raw.schema).isEqualTo("tenant_a");
        assertThat(raw.isolation).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
        assertThat(raw.setIsolationCalls.get()).isEqualTo(1);
    }

    @Test
    void offModeStillRestoresIsolationAndSchemaOnReturn() throws Exception {
        SluiceDataSource ds = pool(config(PgBouncerMode.OFF));
        try (Connection c = ds.getConnection()) {
            c.setSchema("tenant_a");
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        }
        StubConnection raw = db.connections.get(0);
        assertThat(raw.schema).isEqualTo("public");
        assertThat(raw.isolation).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
    }

    private static void executeAndFail(SluiceDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("select 1")).isInstanceOf(SQLException.class);
        }
    }
}
