package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateConditionalVar {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateConditionalVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        var conn = ds.getConnection();  // expect: SLC003
        try (var st = conn.createStatement()) {
            st.executeUpdate(SQL);
        }
        if (id > 100) {
            conn.close();
        }
    }
}
