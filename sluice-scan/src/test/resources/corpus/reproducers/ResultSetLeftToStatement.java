package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ResultSetLeftToStatement {
    boolean exists(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from t where id = ?")) {
            ps.setLong(1, id);
            ResultSet rs = ps.executeQuery();  // expect: SLC005
            return rs.next();
        }
    }
}
