package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateLambdaCloseVar {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateLambdaCloseVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        var conn = ds.getConnection();
        Runnable release = () -> {
            try {
                conn.close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
        try (var st = conn.createStatement()) {
            st.executeUpdate(SQL);
        } finally {
            release.run();
        }
    }
}
