package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallNestedVar {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallNestedVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (var conn = ds.getConnection();
             var cs = conn.prepareCall(SQL)) {
            cs.setLong(1, id);
            cs.execute();
            try (var audit = ds.getConnection()) {  // expect: SLC008
                audit.createStatement().execute("insert into audit values (1)");  // expect: SLC004
            }
        }
    }
}
