package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateTwrVar {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateTwrVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (var conn = ds.getConnection();
             var st = conn.createStatement()) {
            st.executeUpdate(SQL);
        }
    }
}
