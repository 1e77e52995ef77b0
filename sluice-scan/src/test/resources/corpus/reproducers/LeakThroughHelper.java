package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class LeakThroughHelper {
    private Connection borrow(DataSource ds) throws SQLException {
        return ds.getConnection();
    }

    void run(DataSource ds) throws SQLException {
        Connection c = borrow(ds);  // expect: SLC003
        c.setReadOnly(true);
    }
}
