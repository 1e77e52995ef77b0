package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertMovedOut {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertMovedOut(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = ds.getConnection();  // expect: SLC006
        PreparedStatement ins = conn.prepareStatement(SQL);  // expect: SLC006
        ins.setString(1, "x" + id);
        ins.executeUpdate();
        ins.close();
        conn.close();
    }
}
