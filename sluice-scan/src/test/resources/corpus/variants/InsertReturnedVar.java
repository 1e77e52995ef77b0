package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertReturnedVar {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertReturnedVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (var conn = open()) {
            try (var ins = conn.prepareStatement(SQL)) {
                ins.setString(1, "x" + id);
                ins.executeUpdate();
            }
        }
    }

    private Connection open() throws SQLException {
        Connection c = ds.getConnection();
        c.setReadOnly(true);
        return c;
    }
}
