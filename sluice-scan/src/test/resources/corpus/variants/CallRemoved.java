package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallRemoved {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallRemoved(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = ds.getConnection();  // expect: SLC003
        CallableStatement cs = conn.prepareCall(SQL);  // expect: SLC004
        cs.setLong(1, id);
        cs.execute();
    }
}
