package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertStmtCloseRemoved {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertStmtCloseRemoved(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = null;
        PreparedStatement ins = null;
        try {
            conn = ds.getConnection();
            ins = conn.prepareStatement(SQL);  // expect: SLC004
            ins.setString(1, "x" + id);
            ins.executeUpdate();
        } finally {
            conn.close();
        }
    }
}
