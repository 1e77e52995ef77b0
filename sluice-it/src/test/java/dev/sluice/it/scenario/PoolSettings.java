package dev.sluice.it.scenario;

import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * The settings a scenario gives a pool, in terms both pools understand, so that Sluice and
 * HikariCP are configured alike ({@link ScenarioPool#open}). Everything not set here stays at the
 * pool's own default — in particular validation: both validate with {@code Connection.isValid}
 * a connection idle longer than 500 ms before handing it out.
 */
public final class PoolSettings {
    String name;
    String jdbcUrl;
    DataSource dataSource;
    String user;
    String password;
    int maximumPoolSize = 4;
    int minimumIdle = 4;
    Duration connectionTimeout = Duration.ofSeconds(5);
    Duration validationTimeout = Duration.ofSeconds(1);
    /** Zero: the pool's default (30 min for both). */
    Duration maxLifetime = Duration.ZERO;
    String connectionInitSql;
    final Properties properties = new Properties();
    /** True: the constructor opens a first connection and fails if it cannot (both pools' default). */
    boolean startupCheck = true;

    PoolSettings(String name, String jdbcUrl, String user, String password) {
        this.name = name;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    PoolSettings name(String v) {
        this.name = v;
        return this;
    }

    PoolSettings jdbcUrl(String v) {
        this.jdbcUrl = v;
        return this;
    }

    /** Connect through this data source instead of the URL (both pools accept one). */
    PoolSettings dataSource(DataSource v) {
        this.dataSource = v;
        return this;
    }

    PoolSettings size(int max, int minIdle) {
        this.maximumPoolSize = max;
        this.minimumIdle = minIdle;
        return this;
    }

    PoolSettings connectionTimeout(Duration v) {
        this.connectionTimeout = v;
        if (validationTimeout.compareTo(v) > 0) {
            validationTimeout = v;
        }
        return this;
    }

    PoolSettings maxLifetime(Duration v) {
        this.maxLifetime = v;
        return this;
    }

    PoolSettings connectionInitSql(String v) {
        this.connectionInitSql = v;
        return this;
    }

    PoolSettings property(String key, String value) {
        properties.setProperty(key, value);
        return this;
    }

    PoolSettings startupCheck(boolean v) {
        this.startupCheck = v;
        return this;
    }
}
