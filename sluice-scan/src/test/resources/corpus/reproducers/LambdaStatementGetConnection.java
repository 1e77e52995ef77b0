package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class LambdaStatementGetConnection {
    interface StatementCallback<T> {
        T doInStatement(PreparedStatement ps) throws SQLException;
    }

    interface ConnectionSource {
        Connection open(DataSource ds) throws SQLException;
    }

    <T> T execute(String sql, StatementCallback<T> action) {
        return null;
    }

    static boolean supportsBatch(Connection con) throws SQLException {
        return con.getMetaData().supportsBatchUpdates();
    }

    // JdbcTemplate's batch update asks the callback's statement for its connection: the
    // statement's connection belongs to the template, the lambda must not close it.
    Boolean batch(String sql) {
        return execute(sql, ps -> supportsBatch(ps.getConnection()));
    }

    // A lambda parameter declared as a DataSource opens a connection, and this one is never closed.
    ConnectionSource leaky() {
        return (DataSource ds) -> {
            Connection c = ds.getConnection(); // expect: SLC003
            c.setReadOnly(true);
            return null;
        };
    }
}
