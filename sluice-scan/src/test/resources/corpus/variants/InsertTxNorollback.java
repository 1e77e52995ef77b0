package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertTxNorollback {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertTxNorollback(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (Connection conn = ds.getConnection()) {
            conn.setAutoCommit(false);  // expect: SLC007
            try (PreparedStatement ins = conn.prepareStatement(SQL)) {
                ins.setString(1, "x" + id);
                ins.executeUpdate();
            }
            conn.commit();
        }
    }
}
