package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateHelperNoclose {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateHelperNoclose(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = null;
        Statement st = null;
        try {
            conn = ds.getConnection();  // expect: SLC003
            st = conn.createStatement();  // expect: SLC004
            st.executeUpdate(SQL);
        } finally {
            cleanup(st);
            cleanup(conn);
        }
    }

    private static void cleanup(AutoCloseable c) {
        if (c != null) {
            System.out.println("done with " + c.getClass().getSimpleName());
        }
    }
}
