package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testkit.FaultProxy.Mode;
import dev.sluice.testkit.FaultProxyTest.Client;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultProxyExtensionTest {
    static final EchoServer ECHO = startEcho();

    /** On a static field: one proxy for the class, reset to pass-through between tests. */
    @RegisterExtension
    static final FaultProxyExtension SHARED = FaultProxyExtension.forTarget(ECHO::address);

    /** On an instance field: a new proxy per test. */
    @RegisterExtension
    final FaultProxyExtension perTest = FaultProxyExtension.forTarget("127.0.0.1", ECHO.port());

    private static FaultProxy sharedSeen;
    private static FaultProxy perTestSeen;

    @AfterAll
    static void stopEcho() throws IOException {
        ECHO.close();
    }

    @Test
    @Order(1)
    void aTestBreaksTheNetwork() throws Exception {
        sharedSeen = SHARED.proxy();
        perTestSeen = perTest.proxy();
        assertThat(sharedSeen).isNotSameAs(perTestSeen);
        try (Client c = new Client(SHARED.proxy())) {
            assertThat(c.roundTrip("hi")).isEqualTo("hi");
        }
        SHARED.proxy().blackhole().latency(Duration.ofSeconds(1));
        perTest.proxy().refuse();
    }

    @Test
    @Order(2)
    void theNextOneStartsWithAllFaultsCleared() throws Exception {
        assertThat(SHARED.proxy()).isSameAs(sharedSeen); // kept for the class
        assertThat(SHARED.proxy().mode()).isEqualTo(Mode.PASS_THROUGH);
        long start = System.nanoTime();
        try (Client c = new Client(SHARED.proxy())) {
            assertThat(c.roundTrip("ok")).isEqualTo("ok");
        }
        assertThat(FaultProxyTest.millisSince(start)).isLessThan(900); // the latency is gone too

        assertThat(perTestSeen.isClosed()).isTrue(); // the per-test proxy was closed after its test
        assertThat(perTest.proxy()).isNotSameAs(perTestSeen);
        try (Client c = new Client(perTest.proxy())) {
            assertThat(c.roundTrip("new")).isEqualTo("new");
        }
    }

    @Nested
    class InANestedClass {
        @Test
        void theOuterProxyIsStillTheSame() {
            assertThat(SHARED.proxy()).isSameAs(sharedSeen == null ? SHARED.proxy() : sharedSeen);
            assertThat(SHARED.proxy().isClosed()).isFalse();
        }
    }

    @Test
    @Order(3)
    void proxyOutsideTheLifecycleIsAClearError() {
        FaultProxyExtension notStarted = FaultProxyExtension.forTarget("127.0.0.1", 1);
        assertThatThrownBy(notStarted::proxy).isInstanceOf(IllegalStateException.class).hasMessageContaining("not running");
        assertThat(notStarted.toString()).contains("not running");
    }

    private static EchoServer startEcho() {
        try {
            return new EchoServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
