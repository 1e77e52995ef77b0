package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallTxOk {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallTxOk(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (Connection conn = ds.getConnection()) {
            conn.setAutoCommit(false);
            try (CallableStatement cs = conn.prepareCall(SQL)) {
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
