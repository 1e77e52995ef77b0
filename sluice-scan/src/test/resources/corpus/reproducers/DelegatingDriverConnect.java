package corpus.reproducers;

import java.sql.*;
import java.util.*;
import java.util.logging.Logger;
import javax.sql.DataSource;

public class DelegatingDriverConnect {
    // Commons DbUtils' DriverProxy forwards connect to the driver it wraps: whoever calls the
    // proxy opens the connection; the forwarding itself bypasses nothing.
    static final class DriverProxy implements Driver {
        private final Driver adapted;

        DriverProxy(Driver adapted) {
            this.adapted = adapted;
        }

        @Override
        public Connection connect(String url, Properties info) throws SQLException {
            return adapted.connect(url, info);
        }

        @Override
        public boolean acceptsURL(String url) throws SQLException {
            return adapted.acceptsURL(url);
        }

        @Override
        public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
            return adapted.getPropertyInfo(url, info);
        }

        @Override
        public int getMajorVersion() {
            return adapted.getMajorVersion();
        }

        @Override
        public int getMinorVersion() {
            return adapted.getMinorVersion();
        }

        @Override
        public boolean jdbcCompliant() {
            return adapted.jdbcCompliant();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return adapted.getParentLogger();
        }
    }

    // Outside a Driver, calling connect is still a bypass.
    Connection open(Driver driver, String url) throws SQLException {
        return driver.connect(url, new Properties()); // expect: SLC002
    }
}
