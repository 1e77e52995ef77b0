package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateFinallyGuard {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateFinallyGuard(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = null;
        Statement st = null;
        try {
            conn = ds.getConnection();
            st = conn.createStatement();
            st.executeUpdate(SQL);
        } finally {
            if (st != null) {
                st.close();
            }
            if (conn != null) {
                conn.close();
            }
        }
    }
}
