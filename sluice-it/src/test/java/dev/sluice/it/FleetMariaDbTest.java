package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** On MariaDB a fleet member is not coordinated: it starts, serves, and keeps to the static share it says it keeps to. */
class FleetMariaDbTest {

    @Test
    void aFleetMemberOnMariaDbKeepsToAStaticShare() throws Exception {
        TestDatabase db = TestDatabase.MARIADB;
        db.requireAvailable();
        SluiceConfig config = db.config("fleet-mariadb").maximumPoolSize(8).fleet("mdb").fleetInstance("m1").fleetBudget(12)
                .sizingInstances(3).build();
        try (SluiceDataSource ds = new SluiceDataSource(config)) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
                assertThat(rs.next()).isTrue();
            }
            assertThat(ds.fleetView()).contains("not coordinated").contains("static share 4 = 12 / sizingInstances 3");
        }
    }
}
