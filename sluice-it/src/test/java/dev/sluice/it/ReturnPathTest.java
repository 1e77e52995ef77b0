package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.FailureReason;
import dev.sluice.SluiceDataSource;
import dev.sluice.SluiceFailure;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * What the return path guarantees to the next borrower of the same physical connection: session
 * state reset to the configured defaults, uncommitted work rolled back, leftover statements and
 * result sets closed, and a closed handle that can no longer reach the connection. Every test
 * uses a pool of one connection, so the next borrow gets the same physical connection (checked).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReturnPathTest {
    private static final String TABLE = "sluice_it_return";

    private static SluiceDataSource singleConnectionPool(TestDatabase db, String test) throws SQLException {
        return new SluiceDataSource(db.config("it-" + test + "-" + db.kind()).maximumPoolSize(1).minimumIdle(1).build());
    }

    private static void createTable(TestDatabase db) throws SQLException {
        db.execute("create table if not exists " + TABLE + " (id bigint)");
    }

    private static long rowsWith(Connection c, long marker) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select count(*) from " + TABLE + " where id = ?")) {
            s.setLong(1, marker);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static void insert(Connection c, long marker) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into " + TABLE + " (id) values (?)")) {
            s.setLong(1, marker);
            s.executeUpdate();
        }
    }

    @DatabaseTest
    void sessionStateChangedByABorrowerIsResetForTheNextBorrower(TestDatabase db) throws Exception {
        createTable(db);
        String otherSchema = db.alternateSchema();
        String otherCatalog = db.alternateCatalog();
        try (SluiceDataSource ds = singleConnectionPool(db, "reset")) {
            Object physical;
            boolean autoCommit;
            int isolation;
            boolean readOnly;
            String schema;
            String catalog;
            String serverSchema;
            int networkTimeout;
            try (Connection a = ds.getConnection()) {
                physical = db.physical(a);
                autoCommit = a.getAutoCommit();
                isolation = a.getTransactionIsolation();
                readOnly = a.isReadOnly();
                schema = a.getSchema();
                catalog = a.getCatalog();
                serverSchema = db.serverSchema(a);
                networkTimeout = a.getNetworkTimeout();
                assertThat(autoCommit).as("configured default autoCommit").isTrue();
                assertThat(readOnly).as("configured default readOnly").isFalse();

                int otherIsolation = isolation == Connection.TRANSACTION_SERIALIZABLE
                        ? Connection.TRANSACTION_READ_COMMITTED : Connection.TRANSACTION_SERIALIZABLE;
                a.setAutoCommit(false);
                a.setTransactionIsolation(otherIsolation);
                a.setReadOnly(true);
                if (otherSchema != null) {
                    a.setSchema(otherSchema);
                }
                if (otherCatalog != null) {
                    a.setCatalog(otherCatalog);
                }
                try {
                    a.setNetworkTimeout(Runnable::run, 12_345);
                } catch (SQLFeatureNotSupportedException unsupported) {
                    // then there is nothing to reset
                }
                // The changes took effect on this session (so the checks below are not vacuous).
                assertThat(a.getAutoCommit()).isFalse();
                assertThat(a.getTransactionIsolation()).isEqualTo(otherIsolation);
                if (otherSchema != null) {
                    assertThat(db.serverSchema(a)).isEqualTo(otherSchema);
                }
                if (otherCatalog != null) {
                    assertThat(db.serverSchema(a)).isEqualTo(otherCatalog);
                }
            }
            try (Connection b = ds.getConnection()) {
                assertThat(db.physical(b)).as("pool of one: the same physical connection").isSameAs(physical);
                assertThat(b.getAutoCommit()).as("autoCommit").isEqualTo(autoCommit);
                assertThat(b.getTransactionIsolation()).as("transactionIsolation").isEqualTo(isolation);
                assertThat(b.isReadOnly()).as("readOnly").isEqualTo(readOnly);
                assertThat(b.getSchema()).as("schema").isEqualTo(schema);
                assertThat(b.getCatalog()).as("catalog").isEqualTo(catalog);
                assertThat(b.getNetworkTimeout()).as("networkTimeout").isEqualTo(networkTimeout);
                // The server agrees: the session is back in its schema (database) and accepts writes.
                assertThat(db.serverSchema(b)).as("schema on the server").isEqualTo(serverSchema);
                long marker = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
                insert(b, marker);
                assertThat(rowsWith(b, marker)).isEqualTo(1);
            }
        }
    }

    @DatabaseTest
    void uncommittedWorkIsRolledBackOnReturn(TestDatabase db) throws Exception {
        createTable(db);
        long marker = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        try (SluiceDataSource ds = singleConnectionPool(db, "rollback")) {
            Object physical;
            try (Connection a = ds.getConnection()) {
                physical = db.physical(a);
                a.setAutoCommit(false);
                insert(a, marker);
                assertThat(rowsWith(a, marker)).as("visible inside the transaction").isEqualTo(1);
            } // returned without commit
            try (Connection b = ds.getConnection()) {
                assertThat(db.physical(b)).isSameAs(physical);
                assertThat(b.getAutoCommit()).isTrue();
                assertThat(rowsWith(b, marker)).as("rolled back on return").isZero();
            }
        }
        try (Connection direct = db.direct()) {
            assertThat(rowsWith(direct, marker)).as("never committed").isZero();
        }
    }

    @DatabaseTest
    void uncommittedWorkIsRolledBackOnReturnWhenThePoolDefaultIsManualCommit(TestDatabase db) throws Exception {
        createTable(db);
        long marker = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        try (SluiceDataSource ds = new SluiceDataSource(db.config("it-rollback-manual-" + db.kind())
                .maximumPoolSize(1).minimumIdle(1).autoCommit(false).build())) {
            try (Connection a = ds.getConnection()) {
                assertThat(a.getAutoCommit()).isFalse();
                insert(a, marker);
            }
            try (Connection b = ds.getConnection()) {
                assertThat(b.getAutoCommit()).isFalse();
                assertThat(rowsWith(b, marker)).isZero();
                b.rollback();
            }
        }
        try (Connection direct = db.direct()) {
            assertThat(rowsWith(direct, marker)).isZero();
        }
    }

    @DatabaseTest
    void leftoverStatementsAndResultSetsAreClosedOnReturn(TestDatabase db) throws Exception {
        createTable(db);
        try (SluiceDataSource ds = singleConnectionPool(db, "leftovers")) {
            Statement st;
            ResultSet rs;
            PreparedStatement ps;
            ResultSet prs;
            Object physical;
            Connection a = ds.getConnection();
            physical = db.physical(a);
            st = a.createStatement();
            rs = st.executeQuery("select 1 union all select 2 union all select 3");
            assertThat(rs.next()).isTrue();
            ps = a.prepareStatement("select count(*) from " + TABLE + " where id = ?");
            ps.setLong(1, 42);
            prs = ps.executeQuery();
            ResultSet tables = a.getMetaData().getTables(null, null, "%", null); // a result set with no Statement of the borrower's
            a.close(); // nothing above was closed by the borrower

            assertThat(st.isClosed()).as("Statement").isTrue();
            assertThat(ps.isClosed()).as("PreparedStatement").isTrue();
            assertThat(rs.isClosed()).as("ResultSet of the Statement").isTrue();
            assertThat(prs.isClosed()).as("ResultSet of the PreparedStatement").isTrue();
            assertThatThrownBy(() -> st.executeQuery("select 1")).isInstanceOf(SQLException.class);
            assertThatThrownBy(ps::executeQuery).isInstanceOf(SQLException.class);
            assertThatThrownBy(rs::next).isInstanceOf(SQLException.class);
            assertThatThrownBy(prs::next).isInstanceOf(SQLException.class);
            assertThat(tables.isClosed()).as("metadata ResultSet").isTrue();
            assertThatThrownBy(tables::next).isInstanceOf(SQLException.class);

            try (Connection b = ds.getConnection()) {
                assertThat(db.physical(b)).isSameAs(physical);
                // Still unusable while the next borrower holds the physical connection.
                assertThatThrownBy(() -> st.executeQuery("select 1")).isInstanceOf(SQLException.class);
                assertThatThrownBy(ps::executeQuery).isInstanceOf(SQLException.class);
                assertThatThrownBy(tables::next).isInstanceOf(SQLException.class);
                assertThat(TestDatabase.queryLong(b, "select 1")).isEqualTo(1);
            }
        }
    }

    @DatabaseTest
    void closeIsIdempotentAndAnyUseAfterCloseThrows(TestDatabase db) throws Exception {
        try (SluiceDataSource ds = singleConnectionPool(db, "close-twice")) {
            Connection a = ds.getConnection();
            a.close();
            assertThatCode(a::close).as("second close").doesNotThrowAnyException();
            assertThat(a.isClosed()).isTrue();
            assertThat(a.isValid(1)).isFalse();
            assertThatThrownBy(a::createStatement).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> a.prepareStatement("select 1")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> a.setAutoCommit(false)).isInstanceOf(SQLException.class);
            assertThatThrownBy(a::commit).isInstanceOf(SQLException.class);
            assertThatThrownBy(a::rollback).isInstanceOf(SQLException.class);
            assertThatThrownBy(a::getMetaData).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> db.physical(a)).as("unwrap").isInstanceOf(SQLException.class);
            assertThat(ds.stats().inUse()).isZero();
            assertThat(ds.stats().idle()).isEqualTo(1);
        }
    }

    @DatabaseTest
    void aClosedHandleCannotActOnTheNextBorrowersConnection(TestDatabase db) throws Exception {
        createTable(db);
        try (SluiceDataSource ds = singleConnectionPool(db, "stale-handle")) {
            Connection a = ds.getConnection();
            Object physical = db.physical(a);
            Statement aStatement = a.createStatement();
            DatabaseMetaData aMeta = a.getMetaData();
            a.close();

            try (Connection b = ds.getConnection()) {
                assertThat(db.physical(b)).as("pool of one: B has A's physical connection").isSameAs(physical);
                b.setAutoCommit(false);
                long marker = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
                insert(b, marker);

                // Every path from A to the physical connection is shut.
                assertThatThrownBy(a::createStatement).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> aStatement.executeQuery("select 1")).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> aMeta.getTables(null, null, "%", null))
                        .as("metadata obtained before close").isInstanceOf(SQLException.class);
                assertThatThrownBy(a::commit).isInstanceOf(SQLException.class);
                assertThatThrownBy(a::rollback).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> a.setAutoCommit(true)).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> a.setReadOnly(true)).isInstanceOf(SQLException.class);
                assertThat(a.isClosed()).isTrue();
                a.close(); // must not return B's connection to the pool
                a.abort(Runnable::run); // must not abort B's connection

                // B is unaffected: its transaction is still open and its connection still its own.
                assertThat(b.isClosed()).isFalse();
                assertThat(b.getAutoCommit()).isFalse();
                assertThat(rowsWith(b, marker)).as("B's uncommitted row, untouched by A").isEqualTo(1);
                assertThat(ds.stats().inUse()).isEqualTo(1);
                assertThatThrownBy(() -> ds.getConnection(Duration.ofMillis(100)))
                        .as("the only connection is still B's")
                        .satisfies(e -> assertThat(SluiceFailure.reasonOf(e)).contains(FailureReason.ACQUIRE_TIMEOUT));
                b.rollback();
            }
        }
    }
}
