package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class TwrReturnInsideBody {
    static String first(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
            if (!rs.next()) {
                return null;
            }
            return rs.getString(1);
        }
    }
}
