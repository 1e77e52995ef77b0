package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertFieldVar {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertFieldVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = cached;
        try (var ins = conn.prepareStatement(SQL)) {
            ins.setString(1, "x" + id);
            ins.executeUpdate();
        }
    }

    private Connection cached;

    public void warmUp() throws SQLException {
        cached = ds.getConnection();  // expect: SLC009
    }
}
