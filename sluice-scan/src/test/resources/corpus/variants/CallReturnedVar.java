package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallReturnedVar {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallReturnedVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (var conn = open()) {
            try (var cs = conn.prepareCall(SQL)) {
                cs.setLong(1, id);
                cs.execute();
            }
        }
    }

    private Connection open() throws SQLException {
        Connection c = ds.getConnection();
        c.setReadOnly(true);
        return c;
    }
}
