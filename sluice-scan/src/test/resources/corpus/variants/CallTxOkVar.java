package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallTxOkVar {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallTxOkVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (var conn = ds.getConnection()) {
            conn.setAutoCommit(false);
            try (var cs = conn.prepareCall(SQL)) {
                cs.setLong(1, id);
                cs.execute();
                conn.commit();
            } catch (SQLException e) {
                conn.rollback();
                throw e;
            }
        }
    }
}
