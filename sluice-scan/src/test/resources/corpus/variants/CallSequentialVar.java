package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallSequentialVar {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallSequentialVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (var conn = ds.getConnection();
             var cs = conn.prepareCall(SQL)) {
            cs.setLong(1, id);
            cs.execute();
        }
        try (var second = ds.getConnection()) {
            second.setReadOnly(false);
        }
    }
}
