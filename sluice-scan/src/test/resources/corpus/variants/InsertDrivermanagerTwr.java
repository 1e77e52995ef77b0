package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertDrivermanagerTwr {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertDrivermanagerTwr(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (Connection conn = DriverManager.getConnection("jdbc:postgresql://db/app");  // expect: SLC001
             PreparedStatement ins = conn.prepareStatement(SQL)) {
            ins.setString(1, "x" + id);
            ins.executeUpdate();
        }
    }
}
