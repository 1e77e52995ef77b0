package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertTryCatchClose {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertTryCatchClose(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = ds.getConnection();
        try {
            try (PreparedStatement ins = conn.prepareStatement(SQL)) {
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
