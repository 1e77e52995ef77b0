package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertRemoved {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertRemoved(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = ds.getConnection();  // expect: SLC003
        PreparedStatement ins = conn.prepareStatement(SQL);  // expect: SLC004
        ins.setString(1, "x" + id);
        ins.executeUpdate();
    }
}
