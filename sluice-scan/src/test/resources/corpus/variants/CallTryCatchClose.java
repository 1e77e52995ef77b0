package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallTryCatchClose {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallTryCatchClose(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = ds.getConnection();
        try {
            try (CallableStatement cs = conn.prepareCall(SQL)) {
                cs.setLong(1, id);
                cs.execute();
            }
            conn.close();
        } catch (SQLException e) {
            conn.close();
            throw e;
        }
    }
}
