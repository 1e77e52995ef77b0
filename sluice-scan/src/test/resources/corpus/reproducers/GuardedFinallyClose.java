package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class GuardedFinallyClose {
    void run(DataSource ds) throws SQLException {
        Connection c = null;
        try {
            c = ds.getConnection();
            c.setAutoCommit(true);
        } finally {
            if (c != null && !c.isClosed()) {
                c.close();
            }
        }
    }
}
