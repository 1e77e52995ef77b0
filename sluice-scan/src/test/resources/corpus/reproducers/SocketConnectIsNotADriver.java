package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class SocketConnectIsNotADriver {
    static final class Opener {
        Connection connect(String url, Properties p) throws SQLException {
            throw new SQLFeatureNotSupportedException(url);
        }
    }

    // Socket.connect shares its name and arity with a source method that returns a Connection.
    boolean reachable(String host) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(host, 5432), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
