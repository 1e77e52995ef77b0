package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateReassigned {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateReassigned(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (Connection conn = ds.getConnection()) {
            Statement st = conn.createStatement();  // expect: SLC004
            st.executeUpdate(SQL);
            st = conn.createStatement();  // expect: SLC006
            st.executeUpdate(SQL);
            st.close();
        }
    }
}
