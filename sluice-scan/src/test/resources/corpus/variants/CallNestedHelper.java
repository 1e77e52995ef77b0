package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallNestedHelper {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallNestedHelper(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (Connection conn = ds.getConnection();
             CallableStatement cs = conn.prepareCall(SQL)) {
            cs.setLong(1, id);
            cs.execute();
            audit(id);  // expect: SLC008
        }
    }

    private void audit(long id) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement a = c.prepareStatement("insert into audit values (?)")) {
            a.setLong(1, id);
            a.executeUpdate();
        }
    }
}
