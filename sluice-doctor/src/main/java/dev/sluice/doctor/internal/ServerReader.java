package dev.sluice.doctor.internal;

import dev.sluice.FailureReason;
import dev.sluice.JdbcUrls;
import dev.sluice.NestedAcquisition;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import dev.sluice.SluiceFailure;
import dev.sluice.doctor.DoctorException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Connects once and reads what the rules need, within one budget for the whole visit.
 *
 * <p>The connection comes from a Sluice pool of one, so the check connects exactly as the
 * application's pool would (same URL, driver properties and credentials, the driver's connect
 * timeouts derived from the budget) and a failure arrives already classified. The pool marks the
 * connection read-only, and only SELECT and SHOW statements are run on it: nothing is written, and
 * no session setting is changed, so what {@code SHOW} reports is what the pool's own connections get.
 */
public final class ServerReader {
    private static final Pattern HOST = Pattern.compile("^jdbc:[a-z0-9]+(?::[a-z0-9]+)*://(?:[^@/]*@)?(\\[[^\\]]+\\]|[^/:,?;\\[]+)",
            Pattern.CASE_INSENSITIVE);

    private static final String PROBE_POOL = "sluice-doctor";

    private final SluiceConfig config;
    private final Duration budget;
    private final long deadlineNanos;
    private final List<String> unreadable = new ArrayList<>();

    private ServerReader(SluiceConfig config, Duration budget) {
        this.config = config;
        this.budget = budget;
        this.deadlineNanos = System.nanoTime() + budget.toNanos();
    }

    /**
     * Reads the server behind {@code config} within {@code budget}.
     *
     * @throws DoctorException when the server cannot be reached or refuses the connection
     */
    public static ServerFacts read(SluiceConfig config, Duration budget) throws DoctorException {
        return new ServerReader(config, budget).read();
    }

    private ServerFacts read() throws DoctorException {
        ServerFacts f = new ServerFacts();
        f.host = host(config.jdbcUrl());
        if (f.host != null) {
            resolve(f);
        }
        long start = System.nanoTime();
        SluiceDataSource pool;
        try {
            pool = new SluiceDataSource(probeConfig());
        } catch (SQLException e) {
            throw failure(e);
        } catch (IllegalArgumentException e) {
            throw new DoctorException(FailureReason.INVALID_CONFIG, redact(e.getMessage()), e);
        }
        f.connectMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        try (pool; Connection c = pool.getConnection(remaining())) {
            f.productName = c.getMetaData().getDatabaseProductName();
            f.version = c.getMetaData().getDatabaseProductVersion();
            f.user = config.username();
            f.product = product(f.productName);
            switch (f.product) {
                case POSTGRESQL -> readPostgres(c, f);
                case MARIADB, MYSQL -> readMariaDb(c, f);
                default -> { }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        if (!unreadable.isEmpty()) {
            f.unreadable = String.join("; ", unreadable);
        }
        return f;
    }

    /** The check's own pool: one connection, read-only, no background work, bounded by the budget. */
    private SluiceConfig probeConfig() {
        SluiceConfig.Builder b = SluiceConfig.builder()
                .poolName(PROBE_POOL)
                .maximumPoolSize(1)
                .minimumIdle(0)
                .connectionTimeout(remaining())
                .validationTimeout(remaining())
                .idleTimeout(Duration.ZERO)
                .maxLifetime(Duration.ZERO)
                .keepaliveTime(Duration.ZERO)
                .breakerFailureThreshold(0)
                .breakerFailureRateThreshold(0)
                .nestedAcquisition(NestedAcquisition.ALLOW)
                .readOnly(true);
        if (config.jdbcUrl() != null) {
            b.jdbcUrl(config.jdbcUrl());
        }
        if (config.dataSource() != null) {
            b.dataSource(config.dataSource());
        }
        if (config.dataSourceClassName() != null) {
            b.dataSourceClassName(config.dataSourceClassName());
        }
        if (config.driverClassName() != null) {
            b.driverClassName(config.driverClassName());
        }
        if (config.username() != null) {
            b.username(config.username());
        }
        if (config.password() != null) {
            b.password(config.password());
        }
        if (config.credentialsProvider() != null) {
            b.credentialsProvider(config.credentialsProvider());
        }
        Properties p = config.dataSourceProperties();
        for (String name : p.stringPropertyNames()) {
            b.dataSourceProperty(name, p.getProperty(name));
        }
        return b.build();
    }

    private Duration remaining() {
        // At least 50 ms, the pool's smallest connectionTimeout: a late step fails on its own timeout, not on a bad knob.
        return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(50), deadlineNanos - System.nanoTime()));
    }

    /** DNS is timed on its own because a slow resolver is a common, invisible part of a slow connect. */
    private void resolve(ServerFacts f) {
        long start = System.nanoTime();
        CompletableFuture<InetAddress> lookup = new CompletableFuture<>();
        String host = f.host.startsWith("[") ? f.host.substring(1, f.host.length() - 1) : f.host;
        Thread t = new Thread(() -> {
            try {
                lookup.complete(InetAddress.getByName(host));
            } catch (UnknownHostException | RuntimeException e) {
                lookup.completeExceptionally(e);
            }
        }, "sluice-doctor-dns");
        t.setDaemon(true); // a resolver that never answers must not keep the JVM alive
        t.start();
        try {
            InetAddress a = lookup.get(remaining().toNanos(), TimeUnit.NANOSECONDS);
            f.dnsMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            f.loopback = a.isLoopbackAddress();
        } catch (ExecutionException | TimeoutException e) {
            // The connect reports it, classified, with the driver's own words.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readPostgres(Connection c, ServerFacts f) throws SQLException {
        Map<String, Duration> ms = new HashMap<>();
        query(c, "pg_settings", "SELECT name, setting FROM pg_settings WHERE name IN ('max_connections',"
                + " 'superuser_reserved_connections', 'reserved_connections', 'idle_session_timeout',"
                + " 'idle_in_transaction_session_timeout', 'statement_timeout')", r -> {
                    String name = r.getString(1);
                    long v = Long.parseLong(r.getString(2));
                    switch (name) {
                        case "max_connections" -> f.maxConnections = v;
                        case "superuser_reserved_connections", "reserved_connections" -> {
                            f.reservedConnections = (f.reservedConnections == null ? 0 : f.reservedConnections) + v;
                            f.reservedBy = f.reservedBy == null ? name + "=" + v : f.reservedBy + " + " + name + "=" + v;
                        }
                        default -> ms.put(name, Duration.ofMillis(v)); // the three timeouts are in ms
                    }
                });
        f.idleSessionTimeout = ms.get("idle_session_timeout");
        f.idleTransactionTimeout = ms.get("idle_in_transaction_session_timeout");
        f.idleTransactionTimeoutName = "idle_in_transaction_session_timeout";
        f.statementTimeout = ms.get("statement_timeout");
        f.statementTimeoutName = "statement_timeout";
        query(c, "the role", "SELECT current_user, r.rolsuper, r.rolconnlimit, d.datconnlimit, pg_is_in_recovery()"
                + " FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()", r -> {
                    f.user = r.getString(1);
                    f.superuser = r.getBoolean(2);
                    f.roleConnectionLimit = r.getLong(3) < 0 ? null : r.getLong(3);
                    f.databaseConnectionLimit = r.getLong(4) < 0 ? null : r.getLong(4);
                    f.replica = r.getBoolean(5);
                });
        query(c, "pg_stat_activity", "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
                + " AND pid <> pg_backend_pid() AND NOT (usename = current_user AND datname = current_database())",
                r -> f.otherConnections = r.getLong(1));
        query(c, "pg_stat_ssl", "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", r -> f.tls = r.getBoolean(1));
    }

    private void readMariaDb(Connection c, ServerFacts f) throws SQLException {
        Map<String, String> session = variables(c, "SHOW SESSION VARIABLES WHERE Variable_name IN ('max_connections',"
                + " 'max_user_connections', 'max_connect_errors', 'wait_timeout', 'idle_transaction_timeout',"
                + " 'max_statement_time', 'max_execution_time', 'read_only')");
        Map<String, String> global = variables(c, "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('wait_timeout')");
        f.maxConnections = number(session.get("max_connections"));
        f.maxUserConnections = number(session.get("max_user_connections"));
        f.maxConnectErrors = number(session.get("max_connect_errors"));
        f.idleSessionTimeout = seconds(session.get("wait_timeout"));
        f.waitTimeoutGlobal = seconds(global.get("wait_timeout"));
        if (session.containsKey("idle_transaction_timeout")) {
            f.idleTransactionTimeoutName = "idle_transaction_timeout";
            f.idleTransactionTimeout = seconds(session.get("idle_transaction_timeout"));
        }
        if (session.containsKey("max_statement_time")) { // MariaDB, in seconds with a fraction
            f.statementTimeoutName = "max_statement_time";
            f.statementTimeout = seconds(session.get("max_statement_time"));
        } else if (session.containsKey("max_execution_time")) { // MySQL, in milliseconds
            f.statementTimeoutName = "max_execution_time";
            Long v = number(session.get("max_execution_time"));
            f.statementTimeout = v == null ? null : Duration.ofMillis(v);
        }
        String ro = session.get("read_only");
        f.replica = ro == null ? null : ro.equalsIgnoreCase("ON") || ro.equals("1");
        Long[] connected = new Long[1];
        query(c, "Threads_connected", "SHOW GLOBAL STATUS WHERE Variable_name = 'Threads_connected'",
                r -> connected[0] = number(r.getString(2)));
        query(c, "the user's sessions", "SELECT CURRENT_USER(), (SELECT count(*) FROM information_schema.PROCESSLIST"
                + " WHERE USER = SUBSTRING_INDEX(CURRENT_USER(), '@', 1) AND (DB = DATABASE() OR (DB IS NULL AND DATABASE() IS NULL))),"
                + " (SELECT count(*) FROM information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE = 'SUPER')", r -> {
                    f.user = r.getString(1);
                    if (connected[0] != null) {
                        // Threads_connected counts every client, this one included; the user's own sessions here
                        // (this one among them) are taken to be the application's.
                        f.otherConnections = Math.max(0, connected[0] - r.getLong(2));
                    }
                    f.superuser = r.getLong(3) > 0;
                });
        query(c, "Ssl_cipher", "SHOW SESSION STATUS WHERE Variable_name = 'Ssl_cipher'",
                r -> f.tls = r.getString(2) != null && !r.getString(2).isEmpty());
    }

    @FunctionalInterface
    private interface RowReader {
        void read(ResultSet r) throws SQLException;
    }

    /**
     * Runs one read-only query under what is left of the budget. A query the server refuses (a
     * privilege, a view missing in an old version) leaves its facts unknown and is noted; a broken
     * connection ends the visit.
     */
    private void query(Connection c, String what, String sql, RowReader reader) throws SQLException {
        // The network timeout, not Statement.setQueryTimeout: MariaDB Connector/J implements a query timeout by
        // wrapping the statement in SET STATEMENT max_statement_time=..., which SHOW would then report as the
        // session's own statement timeout.
        c.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, remaining().toMillis()));
        try (Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery(sql)) {
                while (r.next()) {
                    reader.read(r);
                }
            }
        } catch (SQLException e) {
            if (c.isClosed() || (e.getSQLState() != null && e.getSQLState().startsWith("08"))) {
                throw e;
            }
            unreadable.add(what + ": " + redact(e.getMessage()));
        } catch (NumberFormatException e) {
            unreadable.add(what + ": " + e.getMessage());
        }
    }

    private Map<String, String> variables(Connection c, String sql) throws SQLException {
        Map<String, String> m = new HashMap<>();
        query(c, "variables", sql, r -> m.put(r.getString(1).toLowerCase(Locale.ROOT), r.getString(2)));
        return m;
    }

    private static Long number(String v) {
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Duration seconds(String v) {
        if (v == null) {
            return null;
        }
        try {
            return Duration.ofMillis(Math.round(Double.parseDouble(v.trim()) * 1000));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static ServerFacts.Product product(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (n.contains("postgres")) {
            return ServerFacts.Product.POSTGRESQL;
        }
        if (n.contains("mariadb")) {
            return ServerFacts.Product.MARIADB;
        }
        if (n.contains("mysql")) {
            return ServerFacts.Product.MYSQL;
        }
        return n.contains("h2") ? ServerFacts.Product.H2 : ServerFacts.Product.OTHER;
    }

    /** The first host of a {@code jdbc:<driver>://host...} URL; null for URLs without one (H2 in memory, a DataSource). */
    static String host(String url) {
        if (url == null) {
            return null;
        }
        Matcher m = HOST.matcher(url);
        return m.find() ? m.group(1) : null;
    }

    private DoctorException failure(SQLException e) {
        FailureReason reason = SluiceFailure.reasonOf(e).orElse(FailureReason.CONNECT_REFUSED);
        String message = redact(e.getMessage());
        // The pool names the reason in its message; the exception leads with it, so once is enough.
        message = message.replace(" (" + reason.name() + ")", "");
        // The check's pool is an implementation detail: the user asked to check a URL, not to start a pool.
        message = message.replace(PROBE_POOL + " could not start: ", "").replace(PROBE_POOL + ": ", "");
        if (reason == FailureReason.CONNECT_TIMEOUT) {
            message += " (the check allows " + TimeText.of(budget) + ")";
        }
        return new DoctorException(reason, message, e);
    }

    /** One line, with the URL's secrets and the configured password hidden. */
    private String redact(String text) {
        if (text == null) {
            return "";
        }
        String shown = JdbcUrls.redact(text.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim());
        String password = config.password();
        if (password != null && password.length() >= 3) {
            shown = shown.replace(password, "<hidden>");
        }
        return shown;
    }
}
