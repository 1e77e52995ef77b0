package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class LeakViaSubinterface {
    interface TracedConnection extends Connection { String trace(); }

    void run(DataSource ds) throws SQLException {
        TracedConnection c = (TracedConnection) ds.getConnection();  // expect: SLC003
        System.out.println(c.trace());
    }
}
