package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateReturnedLeakVar {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateReturnedLeakVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        var conn = open();  // expect: SLC003
        try (var st = conn.createStatement()) {
            st.executeUpdate(SQL);
        }
    }

    private Connection open() throws SQLException {
        Connection c = ds.getConnection();
        c.setReadOnly(true);
        return c;
    }
}
