package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ConnectionWithCredentialsLeak {
    // getConnection(user, password) opens a connection like the no-argument form.
    String user(DataSource ds, String name, String password) throws SQLException {
        Connection c = ds.getConnection(name, password); // expect: SLC003
        return c.getMetaData().getUserName();
    }
}
