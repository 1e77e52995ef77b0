package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallDrivermanagerLeakVar {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallDrivermanagerLeakVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        var conn = DriverManager.getConnection("jdbc:postgresql://db/app");  // expect: SLC001, SLC003
        try (var cs = conn.prepareCall(SQL)) {
            cs.setLong(1, id);
            cs.execute();
        }
    }
}
