package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateRemovedVar {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateRemovedVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        var conn = ds.getConnection();  // expect: SLC003
        var st = conn.createStatement();  // expect: SLC004
        st.executeUpdate(SQL);
    }
}
