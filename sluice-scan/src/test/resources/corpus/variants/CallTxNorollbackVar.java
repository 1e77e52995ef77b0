package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallTxNorollbackVar {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallTxNorollbackVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (var conn = ds.getConnection()) {
            conn.setAutoCommit(false);  // expect: SLC007
            try (var cs = conn.prepareCall(SQL)) {
                cs.setLong(1, id);
                cs.execute();
            }
            conn.commit();
        }
    }
}
