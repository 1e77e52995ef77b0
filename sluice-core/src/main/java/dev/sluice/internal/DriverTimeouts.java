package dev.sluice.internal;

import java.util.Properties;

/**
 * The connect-phase timeout properties of the drivers Sluice knows, derived from an attempt's
 * budget. Only absent properties are set: a user's explicit choice wins.
 *
 * <ul>
 *   <li>PostgreSQL (pgjdbc): {@code connectTimeout} and {@code loginTimeout} in seconds (pgjdbc
 *       ignores {@code DriverManager.setLoginTimeout} when given properties), {@code tcpKeepAlive}.
 *   <li>MariaDB and MySQL: {@code connectTimeout} in milliseconds, {@code tcpKeepAlive}.
 *   <li>H2: no per-connection connect timeout exists; the attempt is bounded by abandonment.
 * </ul>
 */
final class DriverTimeouts {
    private DriverTimeouts() {
    }

    static void apply(String jdbcUrl, Properties p, long budgetMillis) {
        if (jdbcUrl == null || budgetMillis <= 0) {
            return;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            String seconds = Long.toString(Math.max(1, (budgetMillis + 999) / 1000));
            p.putIfAbsent("connectTimeout", seconds);
            p.putIfAbsent("loginTimeout", seconds);
            p.putIfAbsent("tcpKeepAlive", "true");
        } else if (jdbcUrl.startsWith("jdbc:mariadb:") || jdbcUrl.startsWith("jdbc:mysql:")) {
            p.putIfAbsent("connectTimeout", Long.toString(Math.max(1, budgetMillis)));
            p.putIfAbsent("tcpKeepAlive", "true");
        }
    }
}
