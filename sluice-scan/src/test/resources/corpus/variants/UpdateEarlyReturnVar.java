package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateEarlyReturnVar {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateEarlyReturnVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        var conn = ds.getConnection();  // expect: SLC003
        if (id < 0) {
            return;
        }
        try (var st = conn.createStatement()) {
            st.executeUpdate(SQL);
        }
        conn.close();
    }
}
