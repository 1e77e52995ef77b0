package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class TwrJava9ExistingVariable {
    static void touch(DataSource ds) throws SQLException {
        Connection c = ds.getConnection();
        try (c) {
            c.setReadOnly(true);
        }
    }
}
