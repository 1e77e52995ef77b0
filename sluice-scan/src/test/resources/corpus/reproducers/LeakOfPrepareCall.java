package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class LeakOfPrepareCall {
    void run(Connection c) throws SQLException {
        CallableStatement cs = c.prepareCall("{call refresh()}");  // expect: SLC004
        cs.execute();
    }
}
