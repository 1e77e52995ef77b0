package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class DriverManagerBypass {
    int ping(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {  // expect: SLC001
            return c.isValid(1) ? 1 : 0;
        }
    }
}
