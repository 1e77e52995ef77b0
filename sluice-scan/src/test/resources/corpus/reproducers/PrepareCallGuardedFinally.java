package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class PrepareCallGuardedFinally {
    // prepareCall closed in a null-guarded finally, as pre-Java-7 code does.
    String status(DataSource ds, long id) throws SQLException {
        Connection c = null;
        CallableStatement cs = null;
        try {
            c = ds.getConnection();
            cs = c.prepareCall("{? = call order_status(?)}");
            cs.registerOutParameter(1, Types.VARCHAR);
            cs.setLong(2, id);
            cs.execute();
            return cs.getString(1);
        } finally {
            if (cs != null) {
                cs.close();
            }
            if (c != null) {
                c.close();
            }
        }
    }
}
