package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class TwrOverHelperConnection {
    private final DataSource ds;

    TwrOverHelperConnection(DataSource ds) {
        this.ds = ds;
    }

    private Connection open() throws SQLException {
        Connection c = ds.getConnection();
        c.setReadOnly(true);
        return c;
    }

    // The helper returns the connection it opened; the caller closes it with try-with-resources.
    boolean ping() throws SQLException {
        try (Connection c = open()) {
            return c.isValid(1);
        }
    }
}
