package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateFieldVar {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateFieldVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = cached;
        try (var st = conn.createStatement()) {
            st.executeUpdate(SQL);
        }
    }

    private Connection cached;

    public void warmUp() throws SQLException {
        cached = ds.getConnection();  // expect: SLC009
    }
}
