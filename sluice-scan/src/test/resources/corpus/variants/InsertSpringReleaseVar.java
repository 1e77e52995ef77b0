package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertSpringReleaseVar {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertSpringReleaseVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        var conn = DataSourceUtils.getConnection(ds);
        try (var ins = conn.prepareStatement(SQL)) {
            ins.setString(1, "x" + id);
            ins.executeUpdate();
        } finally {
            DataSourceUtils.releaseConnection(conn, ds);
        }
    }

    static final class DataSourceUtils {
        static Connection getConnection(DataSource ds) throws SQLException {
            return ds.getConnection();
        }

        static void releaseConnection(Connection c, DataSource ds) {
            // returns the connection unless a transaction holds it
        }
    }
}
