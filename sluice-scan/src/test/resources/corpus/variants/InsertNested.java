package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertNested {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertNested(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (Connection conn = ds.getConnection();
             PreparedStatement ins = conn.prepareStatement(SQL)) {
            ins.setString(1, "x" + id);
            ins.executeUpdate();
            try (Connection audit = ds.getConnection()) {  // expect: SLC008
                audit.createStatement().execute("insert into audit values (1)");  // expect: SLC004
            }
        }
    }
}
