package dev.sluice.doctor.internal;

import dev.sluice.SluiceConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The driver's own timeouts and TCP keepalive as the pool's connections get them: from the URL's
 * query and the configured driver properties (a property wins over the same URL parameter, as the
 * pool passes both). Units follow each driver: pgjdbc counts seconds, MariaDB Connector/J and
 * MySQL Connector/J milliseconds.
 *
 * @param connectTimeout set explicitly; null when Sluice derives it from connectionTimeout
 * @param socketTimeout  null or zero when off
 * @param tcpKeepAlive   as the pool applies it (Sluice turns it on for PostgreSQL and MariaDB/MySQL unless told otherwise)
 */
public record DriverSettings(Duration connectTimeout, String connectTimeoutName, Duration socketTimeout, boolean tcpKeepAlive) {

    public static DriverSettings of(SluiceConfig config) {
        String url = config.jdbcUrl() == null ? "" : config.jdbcUrl();
        Map<String, String> p = new LinkedHashMap<>();
        int q = url.indexOf('?');
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("[&;]")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    p.put(pair.substring(0, eq).toLowerCase(Locale.ROOT), pair.substring(eq + 1));
                }
            }
        }
        Properties props = config.dataSourceProperties();
        for (String name : props.stringPropertyNames()) {
            p.put(name.toLowerCase(Locale.ROOT), props.getProperty(name));
        }
        boolean postgres = url.startsWith("jdbc:postgresql:");
        boolean mariaDb = url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:");
        if (!postgres && !mariaDb) {
            return new DriverSettings(null, null, null, false);
        }
        Duration connect = null;
        String connectName = null;
        for (String name : postgres ? new String[] {"connectTimeout", "loginTimeout"} : new String[] {"connectTimeout"}) {
            Duration d = duration(p.get(name.toLowerCase(Locale.ROOT)), postgres);
            if (d != null && !d.isZero() && (connect == null || d.compareTo(connect) > 0)) {
                connect = d;
                connectName = name;
            }
        }
        String keepAlive = p.get("tcpkeepalive");
        return new DriverSettings(connect, connectName, duration(p.get("sockettimeout"), postgres),
                keepAlive == null || Boolean.parseBoolean(keepAlive));
    }

    private static Duration duration(String value, boolean seconds) {
        if (value == null) {
            return null;
        }
        try {
            long n = Long.parseLong(value.trim());
            return seconds ? Duration.ofSeconds(n) : Duration.ofMillis(n);
        } catch (NumberFormatException e) {
            return null; // the driver rejects it at connect, with its own message
        }
    }
}
