package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.FaultProxyTest.Client;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A single {@link FaultProxyExtension} also resolves {@link FaultProxy} parameters. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FaultProxyParameterTest {
    static final EchoServer ECHO = startEcho();

    @RegisterExtension
    static final FaultProxyExtension DB = FaultProxyExtension.forTarget(ECHO::address);

    private static FaultProxy fromBeforeAll;

    @BeforeAll
    static void lifecycleMethodsGetItToo(FaultProxy proxy) {
        fromBeforeAll = proxy;
    }

    @AfterAll
    static void stopEcho() throws IOException {
        assertThat(fromBeforeAll.isClosed()).isFalse(); // closed after @AfterAll methods, not before
        ECHO.close();
    }

    @Test
    void injected(FaultProxy proxy) throws Exception {
        assertThat(proxy).isSameAs(DB.proxy()).isSameAs(fromBeforeAll);
        assertThat(DB.host()).isEqualTo(proxy.host());
        assertThat(DB.port()).isEqualTo(proxy.port());
        try (Client c = new Client(proxy)) {
            assertThat(c.roundTrip("param")).isEqualTo("param");
        }
    }

    private static EchoServer startEcho() {
        try {
            return new EchoServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
