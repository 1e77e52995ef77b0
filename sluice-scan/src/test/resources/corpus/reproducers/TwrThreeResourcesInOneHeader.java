package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class TwrThreeResourcesInOneHeader {
    // SpotBugs users reported OBL/RCN warnings on the null checks javac generates for
    // try-with-resources; three resources in one header close in reverse order on every path.
    List<String> names(DataSource ds) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select name from person where active = ?");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
