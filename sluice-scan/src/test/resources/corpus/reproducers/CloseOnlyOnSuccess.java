package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CloseOnlyOnSuccess {
    void run(DataSource ds) throws SQLException {
        Connection c = ds.getConnection();  // expect: SLC006
        c.setReadOnly(true);
        c.close();
    }
}
