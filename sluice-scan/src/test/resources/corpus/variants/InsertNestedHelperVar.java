package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertNestedHelperVar {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertNestedHelperVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (var conn = ds.getConnection();
             var ins = conn.prepareStatement(SQL)) {
            ins.setString(1, "x" + id);
            ins.executeUpdate();
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
