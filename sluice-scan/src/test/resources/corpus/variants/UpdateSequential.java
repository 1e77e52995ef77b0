package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateSequential {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateSequential(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (Connection conn = ds.getConnection();
             Statement st = conn.createStatement()) {
            st.executeUpdate(SQL);
        }
        try (Connection second = ds.getConnection()) {
            second.setReadOnly(false);
        }
    }
}
