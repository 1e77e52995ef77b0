package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateDrivermanagerTwr {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateDrivermanagerTwr(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (Connection conn = DriverManager.getConnection("jdbc:postgresql://db/app");  // expect: SLC001
             Statement st = conn.createStatement()) {
            st.executeUpdate(SQL);
        }
    }
}
