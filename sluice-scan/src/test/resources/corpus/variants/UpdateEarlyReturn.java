package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateEarlyReturn {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateEarlyReturn(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = ds.getConnection();  // expect: SLC003
        if (id < 0) {
            return;
        }
        try (Statement st = conn.createStatement()) {
            st.executeUpdate(SQL);
        }
        conn.close();
    }
}
