package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallHelperNoclose {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallHelperNoclose(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = null;
        CallableStatement cs = null;
        try {
            conn = ds.getConnection();  // expect: SLC003
            cs = conn.prepareCall(SQL);  // expect: SLC004
            cs.setLong(1, id);
            cs.execute();
        } finally {
            cleanup(cs);
            cleanup(conn);
        }
    }

    private static void cleanup(AutoCloseable c) {
        if (c != null) {
            System.out.println("done with " + c.getClass().getSimpleName());
        }
    }
}
