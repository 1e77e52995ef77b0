package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallReassigned {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallReassigned(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (Connection conn = ds.getConnection()) {
            CallableStatement cs = conn.prepareCall(SQL);  // expect: SLC004
            cs.setLong(1, id);
            cs.execute();
            cs = conn.prepareCall(SQL);  // expect: SLC006
            cs.setLong(1, id);
            cs.execute();
            cs.close();
        }
    }
}
