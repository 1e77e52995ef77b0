package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertReassigned {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertReassigned(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (Connection conn = ds.getConnection()) {
            PreparedStatement ins = conn.prepareStatement(SQL);  // expect: SLC004
            ins.setString(1, "x" + id);
            ins.executeUpdate();
            ins = conn.prepareStatement(SQL);  // expect: SLC006
            ins.setString(1, "x" + id);
            ins.executeUpdate();
            ins.close();
        }
    }
}
