package dev.sluice.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.console.SluiceConsole;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code spring.datasource.sluice.console.*}: off by default, on with a token, refused without one. */
class SluiceConsoleAutoConfigurationTest {
    private static final String TOKEN = "a-console-token-from-a-secret-store";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SluiceDataSourceAutoConfiguration.class, DataSourceAutoConfiguration.class,
                    SluiceConsoleAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "spring.datasource.username=sa", "spring.datasource.name=orders");

    @Test
    void theConsoleIsOffUnlessEnabled() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SluiceConsole.class));
    }

    @Test
    void enabledWithATokenItServesTheApplicationsPoolOnTheLoopbackUntilTheContextCloses() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI[] snapshot = new URI[1];
        runner.withPropertyValues("spring.datasource.sluice.console.enabled=true", "spring.datasource.sluice.console.port=0",
                "spring.datasource.sluice.console.token=" + TOKEN).run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(SluiceConsole.class);
                    SluiceConsole console = context.getBean(SluiceConsole.class);
                    assertThat(console.url().getHost()).isEqualTo("127.0.0.1");
                    snapshot[0] = console.url().resolve("/api/snapshot");
                    HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(snapshot[0]).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(anonymous.statusCode()).isEqualTo(401);
                    HttpResponse<String> ok = http.send(HttpRequest.newBuilder(snapshot[0])
                            .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(ok.statusCode()).isEqualTo(200);
                    assertThat(ok.body()).contains("\"orders\"").doesNotContain(TOKEN);
                });
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> http.send(HttpRequest.newBuilder(snapshot[0])
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())))
                .as("closed with the context").isInstanceOf(java.io.IOException.class);
    }

    @Test
    void enabledWithoutATokenOrPasswordTheApplicationDoesNotStart() {
        runner.withPropertyValues("spring.datasource.sluice.console.enabled=true").run(context -> {
            assertThat(context).hasFailed();
            assertThat(invalid(context.getStartupFailure()))
                    .hasMessageContaining("the console needs spring.datasource.sluice.console.token");
        });
    }

    @Test
    void aShortTokenIsRefusedNamingThePropertyWithoutEchoingIt() {
        runner.withPropertyValues("spring.datasource.sluice.console.enabled=true", "spring.datasource.sluice.console.token=short-secret")
                .run(context -> {
                    assertThat(context).hasFailed();
                    InvalidSluiceConfigurationException invalid = invalid(context.getStartupFailure());
                    assertThat(invalid).hasMessageContaining("token must be at least 22").hasMessageNotContaining("short-secret");
                    assertThat(invalid.getPropertyName()).isEqualTo("spring.datasource.sluice.console.token");
                });
    }

    /** The Sluice failure inside the context's start-up failure (Spring wraps it in bean creation exceptions). */
    private static InvalidSluiceConfigurationException invalid(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidSluiceConfigurationException invalid) {
                return invalid;
            }
        }
        throw new AssertionError("no InvalidSluiceConfigurationException in " + failure, failure);
    }
}
