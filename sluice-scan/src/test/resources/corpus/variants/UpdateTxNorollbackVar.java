package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateTxNorollbackVar {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateTxNorollbackVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (var conn = ds.getConnection()) {
            conn.setAutoCommit(false);  // expect: SLC007
            try (var st = conn.createStatement()) {
                st.executeUpdate(SQL);
            }
            conn.commit();
        }
    }
}
