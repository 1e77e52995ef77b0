package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CloseInOptionalLambda {
    // PMD users reported CloseResource when the close happens inside a lambda in finally.
    void touch(DataSource ds) throws SQLException {
        Connection c = ds.getConnection();
        try {
            c.setReadOnly(true);
        } finally {
            Optional.of(c).ifPresent(x -> {
                try {
                    x.close();
                } catch (SQLException e) {
                    // closing is best effort here
                }
            });
        }
    }
}
