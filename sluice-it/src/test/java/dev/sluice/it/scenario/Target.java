package dev.sluice.it.scenario;

import dev.sluice.it.TestDatabase;
import dev.sluice.testkit.FaultProxy;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * One database of the matrix with a {@link FaultProxy} in front of it: pools connect through the
 * proxy ({@link #url()}), while the scenario's own administrative work (killing backends) goes
 * straight to the database, so it works whatever fault the proxy is injecting.
 */
public final class Target implements AutoCloseable {
    private final TestDatabase db;
    private final FaultProxy proxy;

    private Target(TestDatabase db, FaultProxy proxy) {
        this.db = db;
        this.proxy = proxy;
    }

    /** Starts a pass-through proxy in front of {@code db}. */
    public static Target start(TestDatabase db) throws IOException {
        String[] hostPort = db.address().split(":");
        return new Target(db, FaultProxy.start(hostPort[0], Integer.parseInt(hostPort[1])));
    }

    public TestDatabase db() {
        return db;
    }

    public TestDatabase.Kind kind() {
        return db.kind();
    }

    public FaultProxy proxy() {
        return proxy;
    }

    /** The database's JDBC URL, pointed at the proxy. */
    public String url() {
        return db.url().replace(db.address(), proxy.hostAndPort());
    }

    /** Settings for a pool over the proxy, with the scenarios' defaults (4 connections, connectionTimeout 5 s). */
    PoolSettings settings(String poolName) {
        return new PoolSettings(poolName, url(), db.user(), db.password());
    }

    /** Ends every fault and every connection the proxy holds: the clean state between scenarios. */
    void heal() {
        proxy.resetAll();
        proxy.passThrough();
    }

    @Override
    public void close() {
        proxy.close();
    }

    @Override
    public String toString() {
        return db.toString();
    }

    // ------------------------------------------------------------------ vendor specifics

    /** Statement that makes the server end a session idle for 1 s, or null where there is none (H2). */
    String shortServerIdleTimeoutSql() {
        return switch (db.kind()) {
            case POSTGRESQL -> "SET idle_session_timeout = '1s'";
            case MARIADB -> "SET SESSION wait_timeout = 1";
            case H2 -> null;
        };
    }

    /**
     * A user-set socket (read) timeout of 30 s, as the drivers spell it, or null where the driver has
     * none (H2).
     */
    String[] socketTimeout30s() {
        return switch (db.kind()) {
            case POSTGRESQL -> new String[] {"socketTimeout", "30"};
            case MARIADB -> new String[] {"socketTimeout", "30000"};
            case H2 -> null;
        };
    }

    // ------------------------------------------------------------------ backends

    /**
     * Borrows {@code n} connections at once from {@code ds} (so that they are {@code n} different
     * ones: with a pool of {@code n}, all of them), runs a query on each, and returns the server's
     * session ids. The connections are returned before this method returns.
     */
    List<Long> useAll(DataSource ds, int n) throws SQLException {
        List<Connection> held = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Connection c = ds.getConnection();
                held.add(c);
                ids.add(db.backendId(c));
            }
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        return ids;
    }

    /**
     * Kills the sessions, from one direct connection, and waits (up to 5 s) until the server no
     * longer lists any of them.
     */
    void killAll(Collection<Long> ids) throws SQLException, InterruptedException {
        if (ids.isEmpty()) {
            return;
        }
        try (Connection c = db.direct(); Statement s = c.createStatement()) {
            for (long id : ids) {
                switch (db.kind()) {
                    case POSTGRESQL -> s.execute("select pg_terminate_backend(" + id + ")");
                    case MARIADB -> {
                        try {
                            s.execute("KILL " + id);
                        } catch (SQLException alreadyGone) {
                            // "Unknown thread id": ended on its own meanwhile
                        }
                    }
                    case H2 -> s.execute("CALL ABORT_SESSION(" + id + ")");
                }
            }
            StringJoiner list = new StringJoiner(",");
            ids.forEach(id -> list.add(Long.toString(id)));
            String alive = switch (db.kind()) {
                case POSTGRESQL -> "select count(*) from pg_stat_activity where pid in (" + list + ")";
                case MARIADB -> "select count(*) from information_schema.processlist where id in (" + list + ")";
                case H2 -> "select count(*) from information_schema.sessions where session_id in (" + list + ")";
            };
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (;;) {
                try (ResultSet r = s.executeQuery(alive)) {
                    r.next();
                    if (r.getLong(1) == 0) {
                        return;
                    }
                }
                if (System.nanoTime() - until > 0) {
                    throw new IllegalStateException(db + ": sessions " + list + " still alive 5 s after being killed");
                }
                Thread.sleep(2);
            }
        }
    }
}
