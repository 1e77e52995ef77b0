package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallDrivermanagerTwrVar {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallDrivermanagerTwrVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (var conn = DriverManager.getConnection("jdbc:postgresql://db/app");  // expect: SLC001
             var cs = conn.prepareCall(SQL)) {
            cs.setLong(1, id);
            cs.execute();
        }
    }
}
