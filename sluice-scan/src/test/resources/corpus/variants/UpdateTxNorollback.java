package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateTxNorollback {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateTxNorollback(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (Connection conn = ds.getConnection()) {
            conn.setAutoCommit(false);  // expect: SLC007
            try (Statement st = conn.createStatement()) {
                st.executeUpdate(SQL);
            }
            conn.commit();
        }
    }
}
