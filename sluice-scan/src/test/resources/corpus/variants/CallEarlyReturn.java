package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallEarlyReturn {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallEarlyReturn(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = ds.getConnection();  // expect: SLC003
        if (id < 0) {
            return;
        }
        try (CallableStatement cs = conn.prepareCall(SQL)) {
            cs.setLong(1, id);
            cs.execute();
        }
        conn.close();
    }
}
