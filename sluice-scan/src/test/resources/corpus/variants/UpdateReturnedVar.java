package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateReturnedVar {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateReturnedVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (var conn = open()) {
            try (var st = conn.createStatement()) {
                st.executeUpdate(SQL);
            }
        }
    }

    private Connection open() throws SQLException {
        Connection c = ds.getConnection();
        c.setReadOnly(true);
        return c;
    }
}
