package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ConnectionInStaticField {
    private static Connection shared;

    static void init(DataSource ds) throws SQLException {
        shared = ds.getConnection();  // expect: SLC009
    }
}
