package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class AutoCommitOffNeverEnded {
    void run(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);  // expect: SLC007
            s.executeUpdate("update a set x = 1");
        }
    }
}
