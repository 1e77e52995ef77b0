package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertLambdaCloseVar {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertLambdaCloseVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        var conn = ds.getConnection();
        Runnable release = () -> {
            try {
                conn.close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
        try (var ins = conn.prepareStatement(SQL)) {
            ins.setString(1, "x" + id);
            ins.executeUpdate();
        } finally {
            release.run();
        }
    }
}
