package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ReturnedAfterSetupClosedOnFailure {
    // The connection is the caller's once returned; if setup fails it is closed here first.
    Connection openReadOnly(DataSource ds) throws SQLException {
        Connection c = ds.getConnection();
        try {
            c.setReadOnly(true);
            c.setAutoCommit(true);
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }
}
