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
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.apache.tomcat.jdbc.pool.PoolProperties;
import org.vibur.dbcp.ViburDBCPDataSource;

/**
 * The pools a benchmark compares, each started against a {@link Target} (the stub driver unless a
 * benchmark names another database) with the same rules (the configuration is written down in
 * docs/benchmarks.md, and must be changed there too):
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
        OpenPool start(Target t, int size) throws SQLException {
            // No driverClassName: Sluice finds the driver through DriverManager by URL, as a user
            // who only gives a URL gets it; the target's driver is loaded before any pool starts.
            SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder()
                    .poolName("bench-sluice")
                    .jdbcUrl(t.url()).username(t.user()).password(t.password())
                    .maximumPoolSize(size).minimumIdle(size)
                    .connectionTimeout(TIMEOUT)
                    .build());
            return new OpenPool(ds, ds);
        }
    },
    HIKARI {
        @Override
        OpenPool start(Target t, int size) {
            HikariConfig c = new HikariConfig();
            c.setPoolName("bench-hikari");
            c.setDriverClassName(t.driverClassName());
            c.setJdbcUrl(t.url());
            c.setUsername(t.user());
            c.setPassword(t.password());
            c.setMaximumPoolSize(size);
            c.setMinimumIdle(size);
            c.setConnectionTimeout(TIMEOUT.toMillis());
            HikariDataSource ds = new HikariDataSource(c);
            return new OpenPool(ds, ds);
        }
    },
    AGROAL {
        @Override
        OpenPool start(Target t, int size) throws SQLException {
            AgroalDataSource ds = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                    .connectionPoolConfiguration(cp -> cp
                            .initialSize(size).minSize(size).maxSize(size)
                            .acquisitionTimeout(TIMEOUT)
                            .connectionFactoryConfiguration(cf -> cf
                                    .jdbcUrl(t.url())
                                    .connectionProviderClassName(t.driverClassName())
                                    .principal(new NamePrincipal(t.user()))
                                    .credential(new SimplePassword(t.password())))));
            return new OpenPool(ds, ds);
        }
    },
    DBCP2 {
        @Override
        OpenPool start(Target t, int size) {
            BasicDataSource ds = new BasicDataSource();
            ds.setDriverClassName(t.driverClassName());
            ds.setUrl(t.url());
            ds.setUsername(t.user());
            ds.setPassword(t.password());
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
        OpenPool start(Target t, int size) {
            ViburDBCPDataSource ds = new ViburDBCPDataSource();
            ds.setName("bench-vibur");
            ds.setDriverClassName(t.driverClassName());
            ds.setJdbcUrl(t.url());
            ds.setUsername(t.user());
            ds.setPassword(t.password());
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
        OpenPool start(Target t, int size) {
            PoolProperties p = new PoolProperties();
            p.setName("bench-tomcat");
            p.setDriverClassName(t.driverClassName());
            p.setUrl(t.url());
            p.setUsername(t.user());
            p.setPassword(t.password());
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
        OpenPool start(Target t, int size) throws Exception {
            ComboPooledDataSource ds = new ComboPooledDataSource();
            ds.setDataSourceName("bench-c3p0");
            ds.setDriverClass(t.driverClassName());
            ds.setJdbcUrl(t.url());
            ds.setUser(t.user());
            ds.setPassword(t.password());
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
        OpenPool start(Target t, int size) throws SQLException {
            DruidDataSource ds = new DruidDataSource();
            ds.setName("bench-druid");
            ds.setDriverClassName(t.driverClassName());
            ds.setUrl(t.url());
            ds.setUsername(t.user());
            ds.setPassword(t.password());
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
        OpenPool start(Target t, int size) {
            if (!t.equals(Target.STUB)) {
                throw new UnsupportedOperationException("nopool holds stub connections only; it cannot connect to " + t.url());
            }
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
    }

    /** Starts the pool against {@code t}. */
    abstract OpenPool start(Target t, int size) throws Exception;

    /** The pool named by a JMH {@code @Param} value (the enum constant in lower case). */
    public static PoolUnderTest named(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** Starts the pool over the stub driver and returns once {@code size} connections are open and idle. */
    public OpenPool open(int size) throws Exception {
        return open(Target.STUB, size);
    }

    /** Starts the pool against {@code target} and returns once {@code size} connections are open and idle. */
    public OpenPool open(Target target, int size) throws Exception {
        target.loadDriver();
        OpenPool pool = start(target, size);
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
    static void fill(DataSource ds, int size) throws Exception {
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
     * Where a pool connects. The driver class is named because most peers load it by name; Sluice
     * finds it through DriverManager, which {@link #loadDriver} makes sure knows it.
     */
    public record Target(String url, String user, String password, String driverClassName) {
        /** The do-nothing stub driver the overhead and contention benchmarks measure over. */
        public static final Target STUB = new Target(StubDriver.URL, USER, PASSWORD, StubDriver.CLASS_NAME);

        /**
         * No null password, even for a server that asks for none: Vibur, among others, puts it into
         * {@link java.util.Properties}, which rejects null. An empty one is sent only if asked for.
         */
        public Target {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password (empty for none)");
            Objects.requireNonNull(driverClassName, "driverClassName");
        }

        void loadDriver() throws ClassNotFoundException {
            Class.forName(driverClassName);
        }

        /** Without the password: a target ends up in JMH's output when a set-up fails. */
        @Override
        public String toString() {
            return "Target[url=" + url + ", user=" + user + ", password=" + (password.isEmpty() ? "<none>" : "<hidden>")
                    + ", driver=" + driverClassName + "]";
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
