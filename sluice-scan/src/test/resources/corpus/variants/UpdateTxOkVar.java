package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateTxOkVar {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateTxOkVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (var conn = ds.getConnection()) {
            conn.setAutoCommit(false);
            try (var st = conn.createStatement()) {
                st.executeUpdate(SQL);
                conn.commit();
            } catch (SQLException e) {
                conn.rollback();
                throw e;
            }
        }
    }
}
