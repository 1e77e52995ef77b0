package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateTryCatchCloseVar {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateTryCatchCloseVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        var conn = ds.getConnection();
        try {
            try (var st = conn.createStatement()) {
                st.executeUpdate(SQL);
            }
            conn.close();
        } catch (SQLException e) {
            conn.close();
            throw e;
        }
    }
}
