package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ReturnedResultSetCloseOnCompletion {
    ResultSet query(Connection c) throws SQLException {
        PreparedStatement ps = c.prepareStatement("select * from t");
        ps.closeOnCompletion();
        return ps.executeQuery();
    }
}
