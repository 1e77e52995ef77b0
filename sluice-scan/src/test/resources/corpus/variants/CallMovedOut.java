package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallMovedOut {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallMovedOut(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = ds.getConnection();  // expect: SLC006
        CallableStatement cs = conn.prepareCall(SQL);  // expect: SLC006
        cs.setLong(1, id);
        cs.execute();
        cs.close();
        conn.close();
    }
}
