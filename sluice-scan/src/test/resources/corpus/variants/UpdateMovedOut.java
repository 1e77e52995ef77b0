package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateMovedOut {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateMovedOut(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = ds.getConnection();  // expect: SLC006
        Statement st = conn.createStatement();  // expect: SLC006
        st.executeUpdate(SQL);
        st.close();
        conn.close();
    }
}
