package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The tenant data source's MXBean, read through the platform MBean server as a JMX client reads it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TenantJmxTest {
    private static final String URL = "jdbc:h2:mem:tenant_jmx;DB_CLOSE_DELAY=-1";
    private static final String SECRET = "tenant-jmx-secret";
    private static Connection keeper;

    @BeforeAll
    static void createTenantSchemas() throws SQLException {
        keeper = DriverManager.getConnection(URL, "sa", SECRET);
        try (Statement s = keeper.createStatement()) {
            for (int i = 0; i < 60; i++) {
                s.execute("CREATE SCHEMA IF NOT EXISTS \"j" + i + "\"");
            }
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Statement s = keeper.createStatement()) {
            s.execute("DROP ALL OBJECTS");
        }
        keeper.close();
    }

    @Test
    void theBudgetAndTheBusiestTenantsAreReadableAndTheBeanGoesWithTheDataSource() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.sluice:type=Tenants,name=" + ObjectName.quote("jmx-tenants"));
        TenantDataSource tenants = TenantDataSource.builder()
                .template(SluiceConfig.builder().jdbcUrl(URL).username("sa").password(SECRET).poolName("jmx-tenants").minimumIdle(0)
                        .registerMbeans(true).connectionTimeout(Duration.ofSeconds(5)).build())
                .mode(TenantMode.SCHEMA).globalMaximumPoolSize(4).tenantMaximumPoolSize(2).build();
        try {
            assertThat(server.isRegistered(name)).isTrue();
            for (int i = 0; i < 60; i++) {
                for (int n = 0; n <= i % 3; n++) {
                    tenants.getConnection("j" + i).close();
                }
            }
            List<Connection> held = new ArrayList<>();
            held.add(tenants.getConnection("j7"));
            held.add(tenants.getConnection("j7"));
            held.add(tenants.getConnection("j3"));
            assertThat(server.getAttribute(name, "Mode")).isEqualTo("SCHEMA");
            assertThat(server.getAttribute(name, "GlobalMaximumPoolSize")).isEqualTo(4);
            assertThat(server.getAttribute(name, "ActiveConnections")).isEqualTo(3);
            assertThat(server.getAttribute(name, "TenantCount")).isEqualTo(60);
            CompositeData[] rows = (CompositeData[]) server.getAttribute(name, "BusiestTenants");
            assertThat(rows).as("limited to the busiest").hasSize(SluiceTenantsMXBean.BUSIEST_SHOWN);
            assertThat(rows[0].get("tenant")).isEqualTo("j7");
            assertThat(rows[0].get("inUse")).isEqualTo(2);
            assertThat(rows[0].get("borrows")).isEqualTo(4L); // two before, two held now
            assertThat(rows[1].get("tenant")).isEqualTo("j3");
            assertThat(rows[2].get("borrows")).as("then by borrows so far").isEqualTo(3L);
            for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
                assertThat(String.valueOf(server.getAttribute(name, a.getName()))).doesNotContain(SECRET);
            }
            for (Connection c : held) {
                c.close();
            }
        } finally {
            tenants.close();
        }
        assertThat(server.isRegistered(name)).as("unregistered on close").isFalse();
    }
}
