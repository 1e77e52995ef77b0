package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateFinally {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateFinally(DataSource ds) {
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
            st.close();
            conn.close();
        }
    }
}
