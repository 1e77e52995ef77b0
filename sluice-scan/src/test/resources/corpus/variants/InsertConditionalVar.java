package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertConditionalVar {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertConditionalVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        var conn = ds.getConnection();  // expect: SLC003
        try (var ins = conn.prepareStatement(SQL)) {
            ins.setString(1, "x" + id);
            ins.executeUpdate();
        }
        if (id > 100) {
            conn.close();
        }
    }
}
