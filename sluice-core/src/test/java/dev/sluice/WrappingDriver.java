package dev.sluice;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * A test driver for {@code <prefix><url>}: opens {@code <url>} through DriverManager and hands the
 * pool what {@link #wrap} makes of it, so a test can watch what the pool does with a real
 * driver's connections.
 */
abstract class WrappingDriver implements Driver {
    private final String prefix;

    WrappingDriver(String prefix) {
        this.prefix = prefix;
    }

    /** What the pool gets instead of {@code real}. */
    abstract Connection wrap(Connection real);

    @Override
    public final Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        return wrap(DriverManager.getConnection(url.substring(prefix.length()), info));
    }

    @Override
    public final boolean acceptsURL(String url) {
        return url != null && url.startsWith(prefix);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }
}
