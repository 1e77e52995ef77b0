package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class TwrWithResultSetLoop {
    // A checker once reported the statement of a nested try-with-resources as leaked.
    static int count(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from t");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
