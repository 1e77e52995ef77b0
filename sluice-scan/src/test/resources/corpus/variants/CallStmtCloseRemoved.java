package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallStmtCloseRemoved {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallStmtCloseRemoved(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = null;
        CallableStatement cs = null;
        try {
            conn = ds.getConnection();
            cs = conn.prepareCall(SQL);  // expect: SLC004
            cs.setLong(1, id);
            cs.execute();
        } finally {
            conn.close();
        }
    }
}
