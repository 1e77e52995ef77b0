package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertDrivermanagerTwrVar {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertDrivermanagerTwrVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (var conn = DriverManager.getConnection("jdbc:postgresql://db/app");  // expect: SLC001
             var ins = conn.prepareStatement(SQL)) {
            ins.setString(1, "x" + id);
            ins.executeUpdate();
        }
    }
}
