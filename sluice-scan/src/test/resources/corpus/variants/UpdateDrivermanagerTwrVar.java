package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateDrivermanagerTwrVar {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateDrivermanagerTwrVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (var conn = DriverManager.getConnection("jdbc:postgresql://db/app");  // expect: SLC001
             var st = conn.createStatement()) {
            st.executeUpdate(SQL);
        }
    }
}
