package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CloseAllVarargsHelper {
    // A varargs helper of this class closes every resource it is given.
    static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable r : resources) {
            if (r != null) {
                try {
                    r.close();
                } catch (Exception e) {
                    // keep closing the others
                }
            }
        }
    }

    int count(DataSource ds) throws SQLException {
        Connection c = null;
        Statement st = null;
        ResultSet rs = null;
        try {
            c = ds.getConnection();
            st = c.createStatement();
            rs = st.executeQuery("select count(*) from t");
            return rs.next() ? rs.getInt(1) : 0;
        } finally {
            closeAll(rs, st, c);
        }
    }
}
