package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertSpringNoreleasesVar {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertSpringNoreleasesVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        var conn = DataSourceUtils.getConnection(ds);  // expect: SLC003
        try (var ins = conn.prepareStatement(SQL)) {
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
