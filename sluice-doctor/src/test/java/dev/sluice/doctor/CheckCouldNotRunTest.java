package dev.sluice.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.FailureReason;
import dev.sluice.SluiceConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When the check cannot run, it says why in one classified line, within its budget. */
class CheckCouldNotRunTest {

    @Test
    void aClosedPortIsConnectRefused() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free now, and nothing listens on it once closed
        }
        Doctor d = Doctor.builder(SluiceConfig.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/x").username("u")
                .password("s3cret-pw").build()).build();

        long start = System.nanoTime();
        assertThatThrownBy(d::run).isInstanceOf(DoctorException.class)
                .satisfies(e -> assertThat(((DoctorException) e).reason()).isEqualTo(FailureReason.CONNECT_REFUSED))
                .hasMessageStartingWith("CONNECT_REFUSED (may succeed if retried): ")
                .hasMessageNotContaining("s3cret-pw")
                .hasMessageNotContaining("\n");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Doctor.CHECK_BUDGET.plusSeconds(5));
    }

    @Test
    void aUrlNoDriverAcceptsIsInvalidConfig() {
        Doctor d = Doctor.builder(SluiceConfig.builder().jdbcUrl("jdbc:oracle:thin:@//127.0.0.1:1521/app").build()).build();

        assertThatThrownBy(d::run).isInstanceOf(DoctorException.class)
                .satisfies(e -> assertThat(((DoctorException) e).reason()).isEqualTo(FailureReason.INVALID_CONFIG))
                .hasMessageStartingWith("INVALID_CONFIG (fix the configuration): ")
                .hasMessage("INVALID_CONFIG (fix the configuration): no JDBC driver on the class path accepts"
                        + " jdbc:oracle:thin:@//127.0.0.1:1521/app; add the driver dependency or set driverClassName");
    }

    @Test
    void declaredFactsAreCheckedWhenGiven() {
        SluiceConfig c = SluiceConfig.builder().jdbcUrl("jdbc:h2:mem:x").build();

        assertThatThrownBy(() -> Doctor.builder(c).instances(0)).hasMessage("instances=0 must be between 1 and 10000");
        assertThatThrownBy(() -> Doctor.builder(c).networkIdleTimeout(Duration.ZERO)).hasMessage("networkIdleTimeout=PT0S must be more than 0");
        assertThatThrownBy(() -> Doctor.builder(c).threads(8).build()).hasMessageStartingWith("threads=8 needs connectionsPerThread too");
    }

    @Test
    void anH2DatabaseGetsReachabilityAndThePoolOnlyRules() throws DoctorException {
        DoctorReport r = Doctor.builder(SluiceConfig.builder().jdbcUrl("jdbc:h2:mem:doctor").maximumPoolSize(4).build())
                .threads(4).connectionsPerThread(2).build().run();

        assertThat(r.findings()).extracting(Finding::id).containsExactly("DOC-SIZE", "DOC-REACH");
        assertThat(r.server()).containsEntry("product", "H2").doesNotContainKey("max_connections");
    }
}
