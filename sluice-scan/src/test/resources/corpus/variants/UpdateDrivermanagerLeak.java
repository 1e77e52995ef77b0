package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateDrivermanagerLeak {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateDrivermanagerLeak(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = DriverManager.getConnection("jdbc:postgresql://db/app");  // expect: SLC001, SLC003
        try (Statement st = conn.createStatement()) {
            st.executeUpdate(SQL);
        }
    }
}
