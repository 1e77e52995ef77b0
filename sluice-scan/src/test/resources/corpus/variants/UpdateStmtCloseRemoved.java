package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateStmtCloseRemoved {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateStmtCloseRemoved(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = null;
        Statement st = null;
        try {
            conn = ds.getConnection();
            st = conn.createStatement();  // expect: SLC004
            st.executeUpdate(SQL);
        } finally {
            conn.close();
        }
    }
}
