package dev.sluice.stub;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/** The driver for {@code jdbc:stub:} URLs; see {@link StubDatabase}. */
public final class StubDriver implements Driver {
    private static volatile boolean registered;

    static synchronized void register() {
        if (!registered) {
            try {
                DriverManager.registerDriver(new StubDriver());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            registered = true;
        }
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        StubDatabase db = StubDatabase.named(url.substring("jdbc:stub:".length()).split("\\?")[0]);
        if (db == null) {
            throw new SQLException("no stub database " + url, "08001");
        }
        db.connectAttempts.incrementAndGet();
        try {
            if (db.connectHangs) {
                Thread.sleep(Long.MAX_VALUE);
            }
            if (db.connectDelayMillis > 0) {
                Thread.sleep(db.connectDelayMillis);
            }
        } catch (InterruptedException e) {
            throw new SQLException("connect interrupted", "08001", e);
        }
        SQLException failure = db.connectFailure;
        if (failure != null) {
            throw failure;
        }
        StubConnection c = new StubConnection(db, info);
        db.connections.add(c);
        return c.proxy();
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith("jdbc:stub:");
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
