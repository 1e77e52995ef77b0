package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateSequentialVar {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateSequentialVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (var conn = ds.getConnection();
             var st = conn.createStatement()) {
            st.executeUpdate(SQL);
        }
        try (var second = ds.getConnection()) {
            second.setReadOnly(false);
        }
    }
}
