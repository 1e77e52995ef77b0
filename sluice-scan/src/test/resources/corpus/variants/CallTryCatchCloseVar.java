package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallTryCatchCloseVar {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallTryCatchCloseVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        var conn = ds.getConnection();
        try {
            try (var cs = conn.prepareCall(SQL)) {
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
