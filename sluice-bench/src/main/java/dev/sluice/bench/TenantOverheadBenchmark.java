package dev.sluice.bench;

import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import dev.sluice.TenantDataSource;
import dev.sluice.TenantMode;
import dev.sluice.bench.stub.StubDriver;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What routing through a {@link TenantDataSource} costs a single tenant, against a plain
 * {@link SluiceDataSource} of the same size, on the do-nothing stub driver: the connection cycle
 * and the statement cycle of {@link PoolOverheadBenchmark}. DATABASE mode adds the tenant's pool
 * lookup and the budget's accounting; SCHEMA mode adds those and the schema switch (on the stub,
 * {@code setSchema}, a field write; on a real database one statement per borrow, measured in
 * docs/tenants.md). {@code plainSchema} is a plain pool whose borrower sets the schema itself:
 * the same work as SCHEMA mode without the routing, so the two compare what routing adds.
 * {@code hikari} is a plain HikariCP pool of the same size, for scale. Two more take DATABASE
 * mode apart: {@code plainMinIdle0} is a plain pool with a tenant pool's settings (no minimum
 * idle), {@code plainViaMap} a plain pool found first in a map by the tenant's id, as the
 * router finds a tenant's pool. A data source with one tenant finds it without the lookup: the
 * {@code OfMany} variants measure the same single tenant after ten others have borrowed.
 *
 * <pre>java -jar sluice-bench/target/benchmarks.jar TenantOverheadBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class TenantOverheadBenchmark {
    private static final String TENANT = "shop_a";

    @Param({"plain", "plainSchema", "databaseMode", "schemaMode", "hikari", "plainMinIdle0", "plainViaMap", "databaseModeOfMany",
        "schemaModeOfMany"})
    public String variant;

    private AutoCloseable pool;
    private Source source;

    private interface Source {
        Connection get() throws SQLException;
    }

    @Setup(Level.Trial)
    public void start() throws Exception {
        SluiceConfig.Builder template = SluiceConfig.builder().poolName("bench-tenant-" + variant).jdbcUrl(StubDriver.URL)
                .maximumPoolSize(16).minimumIdle(16);
        if (variant.equals("hikari")) {
            // The yardstick a user of a pool per tenant would otherwise have: one HikariCP pool, no routing at all.
            PoolUnderTest.OpenPool open = PoolUnderTest.HIKARI.open(16);
            pool = open.closer();
            source = open.dataSource()::getConnection;
        } else if (variant.equals("plain")) {
            SluiceDataSource ds = new SluiceDataSource(template.build());
            pool = ds;
            source = ds::getConnection;
        } else if (variant.equals("plainMinIdle0")) {
            SluiceDataSource ds = new SluiceDataSource(template.minimumIdle(0).build());
            pool = ds;
            source = ds::getConnection;
        } else if (variant.equals("plainViaMap")) {
            SluiceDataSource ds = new SluiceDataSource(template.build());
            Map<String, SluiceDataSource> byTenant = new ConcurrentHashMap<>();
            for (int i = 0; i < 10; i++) {
                byTenant.put("shop_" + i, ds);
            }
            byTenant.put(TENANT, ds);
            pool = ds;
            source = () -> byTenant.get(TENANT).getConnection();
        } else if (variant.equals("plainSchema")) {
            // What a schema per tenant costs without routing: the borrower points the connection at the
            // tenant's schema itself, as Hibernate's schema multi-tenancy does, and the pool resets it on return.
            SluiceDataSource ds = new SluiceDataSource(template.build());
            pool = ds;
            source = () -> {
                Connection c = ds.getConnection();
                c.setSchema(TENANT);
                return c;
            };
        } else {
            TenantDataSource.Builder b = TenantDataSource.builder().globalMaximumPoolSize(16).tenantMaximumPoolSize(16);
            if (variant.startsWith("schemaMode")) {
                b.template(template.build()).mode(TenantMode.SCHEMA);
            } else {
                b.template(template.minimumIdle(0).build()).mode(TenantMode.DATABASE).tenantUrl(t -> StubDriver.URL);
            }
            TenantDataSource ds = b.build();
            if (variant.endsWith("OfMany")) {
                // Ten other tenants borrowed once, so the measured tenant's pool or slots are found among theirs.
                for (int i = 0; i < 10; i++) {
                    ds.getConnection("shop_" + i).close();
                }
            }
            pool = ds;
            source = () -> ds.getConnection(TENANT);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        pool.close();
    }

    /** getConnection and close. */
    @Benchmark
    public Connection borrowClose() throws SQLException {
        try (Connection c = source.get()) {
            return c;
        }
    }

    /** getConnection, createStatement, executeQuery, next, close all. */
    @Benchmark
    public boolean statement() throws SQLException {
        try (Connection c = source.get(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            return rs.next();
        }
    }
}
