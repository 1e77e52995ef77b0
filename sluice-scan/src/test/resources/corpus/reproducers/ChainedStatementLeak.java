package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ChainedStatementLeak {
    int count(Connection c) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("select count(*) from t")) {  // expect: SLC004
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
