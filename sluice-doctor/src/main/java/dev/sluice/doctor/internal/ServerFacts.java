package dev.sluice.doctor.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the check read from the server and measured on the way. Filled in by {@link ServerReader}
 * and then only read. A field that could not be read is null, never a guess: a rule that needs it
 * says nothing rather than something wrong.
 */
public final class ServerFacts {
    /** The server families the rules know; {@link #OTHER} gets reachability and the pool-only rules. */
    public enum Product { POSTGRESQL, MARIADB, MYSQL, H2, OTHER }

    Product product = Product.OTHER;
    String productName;
    String version;
    String user;
    String host;
    Boolean loopback;
    Long dnsMillis;
    long connectMillis;
    Boolean tls;

    Long maxConnections;
    Long reservedConnections;
    String reservedBy;
    Long roleConnectionLimit;
    Long databaseConnectionLimit;
    Long maxUserConnections;
    Long otherConnections;
    Long maxConnectErrors;

    Duration idleSessionTimeout;
    Duration waitTimeoutGlobal;
    Duration idleTransactionTimeout;
    Duration statementTimeout;
    String statementTimeoutName;
    String idleTransactionTimeoutName;

    Boolean replica;
    Boolean superuser;
    String unreadable;

    public Product product() { return product; }
    public String productName() { return productName; }
    public String version() { return version; }
    public String user() { return user; }
    public String host() { return host; }
    public Boolean loopback() { return loopback; }
    public Long dnsMillis() { return dnsMillis; }
    public long connectMillis() { return connectMillis; }
    public Boolean tls() { return tls; }
    /** max_connections. */
    public Long maxConnections() { return maxConnections; }
    /** Slots of max_connections an ordinary role cannot use (PostgreSQL's reserved ones). */
    public Long reservedConnections() { return reservedConnections; }
    /** The settings behind {@link #reservedConnections()}, as text for messages. */
    public String reservedBy() { return reservedBy; }
    /** PostgreSQL's CONNECTION LIMIT of the role; null when it has none. */
    public Long roleConnectionLimit() { return roleConnectionLimit; }
    /** PostgreSQL's CONNECTION LIMIT of the database; null when it has none. */
    public Long databaseConnectionLimit() { return databaseConnectionLimit; }
    /** MariaDB/MySQL max_user_connections as it applies to this user (the per-user limit if one is set); 0 = none. */
    public Long maxUserConnections() { return maxUserConnections; }
    /** Connections open now that are not this user's on this database (those are taken to be the application's own). */
    public Long otherConnections() { return otherConnections; }
    public Long maxConnectErrors() { return maxConnectErrors; }
    /**
     * The idle limit that applies to this session: PostgreSQL's idle_session_timeout, MariaDB's
     * session wait_timeout. Zero when off.
     */
    public Duration idleSessionTimeout() { return idleSessionTimeout; }
    /** MariaDB/MySQL's global wait_timeout (the session one may differ: sessionVariables, interactive clients). */
    public Duration waitTimeoutGlobal() { return waitTimeoutGlobal; }
    /** idle_in_transaction_session_timeout (PostgreSQL) or idle_transaction_timeout (MariaDB); zero when off. */
    public Duration idleTransactionTimeout() { return idleTransactionTimeout; }
    public String idleTransactionTimeoutName() { return idleTransactionTimeoutName; }
    /** statement_timeout, max_statement_time or max_execution_time; zero when off. */
    public Duration statementTimeout() { return statementTimeout; }
    public String statementTimeoutName() { return statementTimeoutName; }
    /** Whether the server is a read-only replica (in recovery, or read_only set). */
    public Boolean replica() { return replica; }
    /** Whether the checking user is a superuser (PostgreSQL rolsuper, MariaDB SUPER). */
    public Boolean superuser() { return superuser; }

    /** Whether the server's settings were read (not only reached). */
    public boolean knowsSettings() {
        return product == Product.POSTGRESQL || product == Product.MARIADB || product == Product.MYSQL;
    }

    /** The facts as shown under {@code "server"} in the reports: the server's own setting names where there is one. */
    public Map<String, Object> shown() {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "product", productName);
        put(m, "version", version);
        put(m, "user", user);
        put(m, "host", host);
        put(m, "dns_ms", dnsMillis);
        m.put("connect_ms", connectMillis);
        put(m, "tls", tls);
        put(m, "max_connections", maxConnections);
        if (reservedBy != null) {
            put(m, "reserved_connections", reservedConnections);
        }
        put(m, "role_connection_limit", roleConnectionLimit);
        put(m, "database_connection_limit", databaseConnectionLimit);
        put(m, "max_user_connections", maxUserConnections);
        put(m, "other_connections", otherConnections);
        put(m, "max_connect_errors", maxConnectErrors);
        if (product == Product.POSTGRESQL) {
            put(m, "idle_session_timeout", TimeText.setting(idleSessionTimeout));
        } else if (idleSessionTimeout != null) {
            m.put("wait_timeout", TimeText.setting(idleSessionTimeout));
            put(m, "wait_timeout_global", TimeText.setting(waitTimeoutGlobal));
        }
        if (idleTransactionTimeoutName != null) {
            put(m, idleTransactionTimeoutName, TimeText.setting(idleTransactionTimeout));
        }
        if (statementTimeoutName != null) {
            put(m, statementTimeoutName, TimeText.setting(statementTimeout));
        }
        put(m, "replica", replica);
        put(m, "superuser", superuser);
        put(m, "unreadable", unreadable);
        return m;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
