package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateNestedVar {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateNestedVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (var conn = ds.getConnection();
             var st = conn.createStatement()) {
            st.executeUpdate(SQL);
            try (var audit = ds.getConnection()) {  // expect: SLC008
                audit.createStatement().execute("insert into audit values (1)");  // expect: SLC004
            }
        }
    }
}
