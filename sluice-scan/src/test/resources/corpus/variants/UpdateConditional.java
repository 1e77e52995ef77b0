package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateConditional {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateConditional(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = ds.getConnection();  // expect: SLC003
        try (Statement st = conn.createStatement()) {
            st.executeUpdate(SQL);
        }
        if (id > 100) {
            conn.close();
        }
    }
}
