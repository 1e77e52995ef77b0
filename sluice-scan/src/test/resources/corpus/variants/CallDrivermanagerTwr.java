package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallDrivermanagerTwr {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallDrivermanagerTwr(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (Connection conn = DriverManager.getConnection("jdbc:postgresql://db/app");  // expect: SLC001
             CallableStatement cs = conn.prepareCall(SQL)) {
            cs.setLong(1, id);
            cs.execute();
        }
    }
}
