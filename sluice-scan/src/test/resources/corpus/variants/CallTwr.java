package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallTwr {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallTwr(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (Connection conn = ds.getConnection();
             CallableStatement cs = conn.prepareCall(SQL)) {
            cs.setLong(1, id);
            cs.execute();
        }
    }
}
