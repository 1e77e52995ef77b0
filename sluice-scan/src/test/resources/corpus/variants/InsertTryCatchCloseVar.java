package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertTryCatchCloseVar {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertTryCatchCloseVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        var conn = ds.getConnection();
        try {
            try (var ins = conn.prepareStatement(SQL)) {
                ins.setString(1, "x" + id);
                ins.executeUpdate();
            }
            conn.close();
        } catch (SQLException e) {
            conn.close();
            throw e;
        }
    }
}
