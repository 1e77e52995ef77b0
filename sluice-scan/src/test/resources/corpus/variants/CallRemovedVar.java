package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallRemovedVar {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallRemovedVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        var conn = ds.getConnection();  // expect: SLC003
        var cs = conn.prepareCall(SQL);  // expect: SLC004
        cs.setLong(1, id);
        cs.execute();
    }
}
