package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertFinallyGuard {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertFinallyGuard(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = null;
        PreparedStatement ins = null;
        try {
            conn = ds.getConnection();
            ins = conn.prepareStatement(SQL);
            ins.setString(1, "x" + id);
            ins.executeUpdate();
        } finally {
            if (ins != null) {
                ins.close();
            }
            if (conn != null) {
                conn.close();
            }
        }
    }
}
