package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UnqualifiedCallIsTheOwnClassMethod {
    static final class Connector {
        Connection connect() throws SQLException {
            return DriverManager.getConnection("jdbc:h2:mem:x");  // expect: SLC001
        }
    }

    private int attempts;

    // connect() here is this class's own method, which opens nothing: not a Connection to close.
    void refill() {
        connect();
    }

    private void connect() {
        attempts++;
    }
}
