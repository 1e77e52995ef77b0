package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class LeakOnReassignment {
    void run(Connection c) throws SQLException {
        Statement s = c.createStatement();  // expect: SLC004
        s.execute("delete from a");
        s = c.createStatement();  // expect: SLC006
        s.execute("delete from b");
        s.close();
    }
}
