package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertConditional {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertConditional(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = ds.getConnection();  // expect: SLC003
        try (PreparedStatement ins = conn.prepareStatement(SQL)) {
            ins.setString(1, "x" + id);
            ins.executeUpdate();
        }
        if (id > 100) {
            conn.close();
        }
    }
}
