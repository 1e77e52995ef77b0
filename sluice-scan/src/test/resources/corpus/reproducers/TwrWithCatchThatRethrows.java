package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class TwrWithCatchThatRethrows {
    // A catch clause on the try-with-resources runs after the resources are closed.
    int count(DataSource ds) {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from orders")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException("count failed", e);
        }
    }
}
