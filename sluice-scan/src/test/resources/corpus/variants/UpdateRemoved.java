package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateRemoved {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateRemoved(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = ds.getConnection();  // expect: SLC003
        Statement st = conn.createStatement();  // expect: SLC004
        st.executeUpdate(SQL);
    }
}
