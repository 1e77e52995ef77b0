package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallNested {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallNested(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (Connection conn = ds.getConnection();
             CallableStatement cs = conn.prepareCall(SQL)) {
            cs.setLong(1, id);
            cs.execute();
            try (Connection audit = ds.getConnection()) {  // expect: SLC008
                audit.createStatement().execute("insert into audit values (1)");  // expect: SLC004
            }
        }
    }
}
