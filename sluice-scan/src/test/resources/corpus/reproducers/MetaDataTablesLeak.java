package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class MetaDataTablesLeak {
    // The ResultSet of a metadata query is the caller's to close, like any other.
    boolean hasTable(DataSource ds, String table) throws SQLException {
        try (Connection c = ds.getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            ResultSet rs = md.getTables(null, null, table, null); // expect: SLC005
            return rs.next();
        }
    }
}
