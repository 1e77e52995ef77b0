package dev.sluice.it.scenario;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.BreakerState;
import dev.sluice.NestedAcquisition;
import dev.sluice.PoolListener;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A pool under test, seen only as a {@link DataSource}: the scenarios drive Sluice and HikariCP
 * through the same code. Built by {@link #open} from one {@link PoolSettings}.
 *
 * <p>Sluice's circuit-breaker transitions are recorded (through its listener SPI) so a scenario can
 * tell which calls ran while the breaker was open; HikariCP has no breaker, and reports none.
 *
 * <p>HikariCP sets the JVM-wide {@link DriverManager#setLoginTimeout login timeout} from its
 * connectionTimeout when it starts. Drivers that read it (MariaDB Connector/J, the ChaosDriver) would
 * then behave differently in every later scenario of the same JVM, Sluice's included; so the value
 * in force before the HikariCP pool started is put back when it closes (or fails to start).
 */
public final class ScenarioPool implements AutoCloseable {
    private final PoolKind kind;
    private final DataSource dataSource;
    private final AutoCloseable closer;
    private final BreakerLog breakerLog;

    private ScenarioPool(PoolKind kind, DataSource dataSource, AutoCloseable closer, BreakerLog breakerLog) {
        this.kind = kind;
        this.dataSource = dataSource;
        this.closer = closer;
        this.breakerLog = breakerLog;
    }

    /** Starts a pool of {@code kind}; fails as the pool's constructor does (SQLException or RuntimeException). */
    public static ScenarioPool open(PoolKind kind, PoolSettings s) throws SQLException {
        return switch (kind) {
            case SLUICE -> openSluice(s);
            case HIKARI -> openHikari(s);
        };
    }

    private static ScenarioPool openSluice(PoolSettings s) throws SQLException {
        BreakerLog log = new BreakerLog();
        SluiceConfig.Builder b = SluiceConfig.builder()
                .poolName(s.name)
                .maximumPoolSize(s.maximumPoolSize)
                .minimumIdle(s.minimumIdle)
                .connectionTimeout(s.connectionTimeout)
                .validationTimeout(s.validationTimeout)
                // Target.useAll holds all connections of the pool from one thread on purpose; the
                // nested-acquisition warning (a diagnostic, no behaviour) would only be noise here.
                .nestedAcquisition(NestedAcquisition.ALLOW)
                .listener(log);
        if (s.dataSource != null) {
            b.dataSource(s.dataSource);
        } else {
            b.jdbcUrl(s.jdbcUrl);
        }
        if (s.user != null) {
            b.username(s.user);
        }
        if (s.password != null) {
            b.password(s.password);
        }
        if (!s.maxLifetime.isZero()) {
            b.maxLifetime(s.maxLifetime);
            // Sluice refuses idleTimeout/keepaliveTime at or above maxLifetime (HikariCP silently drops
            // them); with minimumIdle == maximumPoolSize idleTimeout never applies anyway.
            b.idleTimeout(Duration.ZERO);
            b.keepaliveTime(Duration.ZERO);
        }
        if (s.connectionInitSql != null) {
            b.connectionInitSql(s.connectionInitSql);
        }
        for (String key : s.properties.stringPropertyNames()) {
            b.dataSourceProperty(key, s.properties.getProperty(key));
        }
        if (!s.startupCheck) {
            b.initializationFailTimeout(Duration.ofMillis(-1));
        }
        SluiceDataSource ds = new SluiceDataSource(b.build());
        return new ScenarioPool(PoolKind.SLUICE, ds, ds, log);
    }

    private static ScenarioPool openHikari(PoolSettings s) {
        HikariConfig c = new HikariConfig();
        c.setPoolName(s.name);
        if (s.dataSource != null) {
            c.setDataSource(s.dataSource);
        } else {
            c.setJdbcUrl(s.jdbcUrl);
        }
        if (s.user != null) {
            c.setUsername(s.user);
        }
        if (s.password != null) {
            c.setPassword(s.password);
        }
        c.setMaximumPoolSize(s.maximumPoolSize);
        c.setMinimumIdle(s.minimumIdle);
        c.setConnectionTimeout(s.connectionTimeout.toMillis());
        c.setValidationTimeout(s.validationTimeout.toMillis());
        if (!s.maxLifetime.isZero()) {
            c.setMaxLifetime(s.maxLifetime.toMillis()); // HikariCP's floor is 30 s: shorter values fall back to 30 min
        }
        if (s.connectionInitSql != null) {
            c.setConnectionInitSql(s.connectionInitSql);
        }
        for (String key : s.properties.stringPropertyNames()) {
            c.addDataSourceProperty(key, s.properties.getProperty(key));
        }
        c.setInitializationFailTimeout(s.startupCheck ? 1 : -1); // 1 = HikariCP's default: one attempt
        int loginTimeoutBefore = DriverManager.getLoginTimeout();
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(c);
        } catch (RuntimeException e) {
            DriverManager.setLoginTimeout(loginTimeoutBefore);
            throw e;
        }
        AutoCloseable closer = () -> {
            try {
                ds.close();
            } finally {
                DriverManager.setLoginTimeout(loginTimeoutBefore);
            }
        };
        return new ScenarioPool(PoolKind.HIKARI, ds, closer, null);
    }

    public PoolKind kind() {
        return kind;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Sluice's pool, for the assertions only Sluice can answer (stats); null for HikariCP. */
    public SluiceDataSource sluice() {
        return dataSource instanceof SluiceDataSource s ? s : null;
    }

    /** Whether the pool's circuit breaker was open (or half-open) at {@code nanos}; always false for HikariCP. */
    public boolean breakerOpenAt(long nanos) {
        return breakerLog != null && breakerLog.openAt(nanos);
    }

    /** How many times the breaker opened (0 for HikariCP). */
    public int breakerOpens() {
        return breakerLog == null ? 0 : breakerLog.opens();
    }

    @Override
    public void close() {
        try {
            closer.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing " + kind + " failed", e);
        }
    }

    /** Breaker transitions with their {@link System#nanoTime()}, from Sluice's listener. */
    private static final class BreakerLog implements PoolListener {
        private final List<long[]> transitions = new ArrayList<>(); // {nanos, 1 = open or half-open / 0 = closed}

        @Override
        public synchronized void breakerStateChanged(String poolName, BreakerState from, BreakerState to, Throwable lastFailure) {
            transitions.add(new long[] {System.nanoTime(), to == BreakerState.OPEN || to == BreakerState.HALF_OPEN ? 1 : 0});
        }

        synchronized boolean openAt(long nanos) {
            boolean open = false;
            for (long[] t : transitions) {
                if (t[0] - nanos > 0) {
                    break;
                }
                open = t[1] == 1;
            }
            return open;
        }

        synchronized int opens() {
            int n = 0;
            boolean open = false;
            for (long[] t : transitions) {
                if (t[1] == 1 && !open) {
                    n++;
                }
                open = t[1] == 1;
            }
            return n;
        }
    }
}
