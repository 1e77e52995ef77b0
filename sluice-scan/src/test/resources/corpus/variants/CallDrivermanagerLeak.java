package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallDrivermanagerLeak {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallDrivermanagerLeak(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = DriverManager.getConnection("jdbc:postgresql://db/app");  // expect: SLC001, SLC003
        try (CallableStatement cs = conn.prepareCall(SQL)) {
            cs.setLong(1, id);
            cs.execute();
        }
    }
}
