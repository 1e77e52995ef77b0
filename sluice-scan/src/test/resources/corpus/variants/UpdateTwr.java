package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateTwr {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateTwr(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (Connection conn = ds.getConnection();
             Statement st = conn.createStatement()) {
            st.executeUpdate(SQL);
        }
    }
}
