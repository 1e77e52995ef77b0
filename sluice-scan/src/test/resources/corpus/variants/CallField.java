package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallField {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallField(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = cached;
        try (CallableStatement cs = conn.prepareCall(SQL)) {
            cs.setLong(1, id);
            cs.execute();
        }
    }

    private Connection cached;

    public void warmUp() throws SQLException {
        cached = ds.getConnection();  // expect: SLC009
    }
}
