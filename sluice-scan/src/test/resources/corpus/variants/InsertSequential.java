package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertSequential {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertSequential(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        try (Connection conn = ds.getConnection();
             PreparedStatement ins = conn.prepareStatement(SQL)) {
            ins.setString(1, "x" + id);
            ins.executeUpdate();
        }
        try (Connection second = ds.getConnection()) {
            second.setReadOnly(false);
        }
    }
}
