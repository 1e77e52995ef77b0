package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallFinally {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallFinally(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = null;
        CallableStatement cs = null;
        try {
            conn = ds.getConnection();
            cs = conn.prepareCall(SQL);
            cs.setLong(1, id);
            cs.execute();
        } finally {
            cs.close();
            conn.close();
        }
    }
}
