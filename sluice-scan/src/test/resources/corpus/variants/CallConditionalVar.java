package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallConditionalVar {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallConditionalVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        var conn = ds.getConnection();  // expect: SLC003
        try (var cs = conn.prepareCall(SQL)) {
            cs.setLong(1, id);
            cs.execute();
        }
        if (id > 100) {
            conn.close();
        }
    }
}
