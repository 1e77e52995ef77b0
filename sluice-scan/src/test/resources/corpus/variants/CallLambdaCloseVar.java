package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallLambdaCloseVar {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallLambdaCloseVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        var conn = ds.getConnection();
        Runnable release = () -> {
            try {
                conn.close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
        try (var cs = conn.prepareCall(SQL)) {
            cs.setLong(1, id);
            cs.execute();
        } finally {
            release.run();
        }
    }
}
