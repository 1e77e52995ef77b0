package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateNestedHelperVar {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateNestedHelperVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (var conn = ds.getConnection();
             var st = conn.createStatement()) {
            st.executeUpdate(SQL);
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
