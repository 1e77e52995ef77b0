package dev.sluice.bench;

import com.alibaba.druid.pool.DruidDataSource;
import com.mchange.v2.c3p0.ComboPooledDataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import dev.sluice.bench.stub.StubDriver;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.apache.tomcat.jdbc.pool.PoolProperties;
import org.vibur.dbcp.ViburDBCPDataSource;

/**
 * The pools a benchmark compares, each started over the stub driver with the same rules (the
 * configuration is written down in docs/benchmarks.md, and must be changed there too):
 *
 * <ul>
 *   <li>maximum size = minimum idle = initial size = {@code size};</li>
 *   <li>acquisition timeout 30 s (no benchmark ever waits that long);</li>
 *   <li>no validation on borrow beyond the pool's default idle-time rule (HikariCP and Sluice
 *       validate a connection idle for more than 500 ms, Vibur for more than 5 s: neither fires
 *       while a benchmark runs), no test on return;</li>
 *   <li>leak detection, abandoned-connection reclaim, slow-query logging and statement caching
 *       off (all of them are off by default except Vibur's slow-call logging);</li>
 *   <li>everything else at the pool's default.</li>
 * </ul>
 *
 * {@link #open} returns only when {@code size} physical connections are open and idle, so no
 * measured iteration pays for filling the pool.
 */
public enum PoolUnderTest {
    SLUICE {
        @Override
        OpenPool start(int size) throws SQLException {
            SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder()
                    .poolName("bench-sluice")
                    .jdbcUrl(StubDriver.URL).username(USER).password(PASSWORD)
                    .maximumPoolSize(size).minimumIdle(size)
                    .connectionTimeout(TIMEOUT)
                    .build());
            return new OpenPool(ds, ds);
        }
    },
    HIKARI {
        @Override
        OpenPool start(int size) {
            HikariConfig c = new HikariConfig();
            c.setPoolName("bench-hikari");
            c.setDriverClassName(StubDriver.CLASS_NAME);
            c.setJdbcUrl(StubDriver.URL);
            c.setUsername(USER);
            c.setPassword(PASSWORD);
            c.setMaximumPoolSize(size);
            c.setMinimumIdle(size);
            c.setConnectionTimeout(TIMEOUT.toMillis());
            HikariDataSource ds = new HikariDataSource(c);
            return new OpenPool(ds, ds);
        }
    },
    AGROAL {
        @Override
        OpenPool start(int size) throws SQLException {
            AgroalDataSource ds = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                    .connectionPoolConfiguration(cp -> cp
                            .initialSize(size).minSize(size).maxSize(size)
                            .acquisitionTimeout(TIMEOUT)
                            .connectionFactoryConfiguration(cf -> cf
                                    .jdbcUrl(StubDriver.URL)
                                    .connectionProviderClassName(StubDriver.CLASS_NAME)
                                    .principal(new NamePrincipal(USER))
                                    .credential(new SimplePassword(PASSWORD)))));
            return new OpenPool(ds, ds);
        }
    },
    DBCP2 {
        @Override
        OpenPool start(int size) {
            BasicDataSource ds = new BasicDataSource();
            ds.setDriverClassName(StubDriver.CLASS_NAME);
            ds.setUrl(StubDriver.URL);
            ds.setUsername(USER);
            ds.setPassword(PASSWORD);
            ds.setInitialSize(size);
            ds.setMaxTotal(size);
            ds.setMaxIdle(size);
            ds.setMinIdle(size);
            ds.setMaxWait(TIMEOUT);
            // DBCP2 tests every borrow by default (isValid, as no validation query is set).
            ds.setTestOnBorrow(false);
            ds.setPoolPreparedStatements(false);
            return new OpenPool(ds, ds);
        }
    },
    VIBUR {
        @Override
        OpenPool start(int size) {
            ViburDBCPDataSource ds = new ViburDBCPDataSource();
            ds.setName("bench-vibur");
            ds.setDriverClassName(StubDriver.CLASS_NAME);
            ds.setJdbcUrl(StubDriver.URL);
            ds.setUsername(USER);
            ds.setPassword(PASSWORD);
            ds.setPoolInitialSize(size);
            ds.setPoolMaxSize(size);
            ds.setConnectionTimeoutInMs(TIMEOUT.toMillis());
            ds.setStatementCacheMaxSize(0);
            // Vibur times every getConnection and query and counts result-set rows to log slow ones
            // (3 s / 500 rows by default): diagnostics of the leak-detection kind, off for all pools.
            ds.setLogConnectionLongerThanMs(-1);
            ds.setLogQueryExecutionLongerThanMs(-1);
            ds.setLogLargeResultSet(-1);
            ds.setEnableJMX(false);
            ds.start();
            return new OpenPool(ds, ds::close);
        }
    },
    TOMCAT {
        @Override
        OpenPool start(int size) {
            PoolProperties p = new PoolProperties();
            p.setName("bench-tomcat");
            p.setDriverClassName(StubDriver.CLASS_NAME);
            p.setUrl(StubDriver.URL);
            p.setUsername(USER);
            p.setPassword(PASSWORD);
            p.setInitialSize(size);
            p.setMaxActive(size);
            p.setMaxIdle(size);
            p.setMinIdle(size);
            p.setMaxWait((int) TIMEOUT.toMillis());
            p.setTestOnBorrow(false);
            p.setTestWhileIdle(false);
            p.setJmxEnabled(false);
            org.apache.tomcat.jdbc.pool.DataSource ds = new org.apache.tomcat.jdbc.pool.DataSource(p);
            return new OpenPool(ds, ds::close);
        }
    },
    C3P0 {
        @Override
        OpenPool start(int size) throws Exception {
            ComboPooledDataSource ds = new ComboPooledDataSource();
            ds.setDataSourceName("bench-c3p0");
            ds.setDriverClass(StubDriver.CLASS_NAME);
            ds.setJdbcUrl(StubDriver.URL);
            ds.setUser(USER);
            ds.setPassword(PASSWORD);
            ds.setInitialPoolSize(size);
            ds.setMinPoolSize(size);
            ds.setMaxPoolSize(size);
            ds.setCheckoutTimeout((int) TIMEOUT.toMillis());
            ds.setTestConnectionOnCheckout(false);
            ds.setTestConnectionOnCheckin(false);
            ds.setMaxStatements(0);
            return new OpenPool(ds, ds::close);
        }
    },
    DRUID {
        @Override
        OpenPool start(int size) throws SQLException {
            DruidDataSource ds = new DruidDataSource();
            ds.setName("bench-druid");
            ds.setDriverClassName(StubDriver.CLASS_NAME);
            ds.setUrl(StubDriver.URL);
            ds.setUsername(USER);
            ds.setPassword(PASSWORD);
            ds.setInitialSize(size);
            ds.setMaxActive(size);
            ds.setMinIdle(size);
            // A bounded wait, as for every pool. Druid then uses a fair lock (its default whenever
            // maxWait > 0); that is how Druid runs with a timeout, so it is measured that way.
            ds.setMaxWait(TIMEOUT.toMillis());
            ds.setTestOnBorrow(false);
            ds.setTestOnReturn(false);
            // Druid's idle test needs a validation query or a known driver; with neither it only
            // logs an error at start. It would fire after 60 s idle, never during a benchmark.
            ds.setTestWhileIdle(false);
            ds.setPoolPreparedStatements(false);
            ds.init();
            return new OpenPool(ds, ds::close);
        }
    },
    /**
     * Not a pool: the physical limit. A bare lock-free array of stub connections, borrow is one
     * CAS and return one store, with no safety whatsoever (see {@link BareArrayPool}).
     */
    NOPOOL {
        @Override
        OpenPool start(int size) {
            BareArrayPool ds = new BareArrayPool(size);
            return new OpenPool(ds, () -> { });
        }
    };

    static final String USER = "bench";
    static final String PASSWORD = "bench";
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    static {
        // c3p0 logs an INFO banner per pool through java.util.logging; keep the JMH output readable.
        System.setProperty("com.mchange.v2.log.MLog", "com.mchange.v2.log.FallbackMLog");
        System.setProperty("com.mchange.v2.log.FallbackMLog.DEFAULT_CUTOFF_LEVEL", "WARNING");
        // Load the stub driver before any pool looks for it in DriverManager.
        try {
            Class.forName(StubDriver.CLASS_NAME);
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    abstract OpenPool start(int size) throws Exception;

    /** The pool named by a JMH {@code @Param} value (the enum constant in lower case). */
    public static PoolUnderTest named(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** Starts the pool and returns once {@code size} connections are open and idle. */
    public OpenPool open(int size) throws Exception {
        OpenPool pool = start(size);
        try {
            fill(pool.dataSource(), size);
        } catch (Exception | Error e) {
            pool.close();
            throw e;
        }
        return pool;
    }

    /**
     * Holds {@code size} connections at once, one per thread (a thread taking several would be a
     * nested acquisition, which some pools report), then returns them all: every pool then has
     * {@code size} physical connections, whether it fills eagerly or on demand.
     */
    private static void fill(DataSource ds, int size) throws Exception {
        CountDownLatch allHeld = new CountDownLatch(size);
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Thread t = new Thread(() -> {
                try (Connection c = ds.getConnection()) {
                    allHeld.countDown();
                    allHeld.await();
                    if (!c.isValid(1)) {
                        throw new SQLException("a fresh connection is not valid");
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                    allHeld.countDown();
                }
            }, "bench-fill-" + i);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /**
     * A started pool and how to stop it. Deliberately not AutoCloseable: the peers' close methods
     * throw anything from nothing to Exception, and a benchmark stops its pool in a tear-down.
     */
    public record OpenPool(DataSource dataSource, AutoCloseable closer) {
        public void close() throws Exception {
            closer.close();
        }
    }
}
