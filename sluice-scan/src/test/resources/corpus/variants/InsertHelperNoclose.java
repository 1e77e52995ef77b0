package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertHelperNoclose {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertHelperNoclose(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = null;
        PreparedStatement ins = null;
        try {
            conn = ds.getConnection();  // expect: SLC003
            ins = conn.prepareStatement(SQL);  // expect: SLC004
            ins.setString(1, "x" + id);
            ins.executeUpdate();
        } finally {
            cleanup(ins);
            cleanup(conn);
        }
    }

    private static void cleanup(AutoCloseable c) {
        if (c != null) {
            System.out.println("done with " + c.getClass().getSimpleName());
        }
    }
}
