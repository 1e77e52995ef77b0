package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertSpringNoreleases {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertSpringNoreleases(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = DataSourceUtils.getConnection(ds);  // expect: SLC003
        try (PreparedStatement ins = conn.prepareStatement(SQL)) {
            ins.setString(1, "x" + id);
            ins.executeUpdate();
        }
    }

    static final class DataSourceUtils {
        static Connection getConnection(DataSource ds) throws SQLException {
            return ds.getConnection();
        }
    }
}
