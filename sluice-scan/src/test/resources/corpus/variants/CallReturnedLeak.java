package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallReturnedLeak {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallReturnedLeak(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = open();  // expect: SLC003
        try (CallableStatement cs = conn.prepareCall(SQL)) {
            cs.setLong(1, id);
            cs.execute();
        }
    }

    private Connection open() throws SQLException {
        Connection c = ds.getConnection();
        c.setReadOnly(true);
        return c;
    }
}
