package dev.sluice.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.FailureReason;
import dev.sluice.SluiceFailure;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;

/**
 * A bad knob or an unreachable database stops the application with Sluice's message, explained by
 * the failure analyzers the starter registers in {@code META-INF/spring.factories}, as Boot loads them.
 */
class SluiceFailureAnalysisTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SluiceDataSourceAutoConfiguration.class, DataSourceAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "spring.datasource.username=sa", "spring.datasource.password=analyzer-secret");

    /** What Boot would print: the first registered analyzer that explains the failure. */
    private static FailureAnalysis analyze(AssertableApplicationContext context, Environment environment) {
        Throwable failure = context.getStartupFailure();
        assertThat(failure).as("the application must fail to start").isNotNull();
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, ArgumentResolver.of(Environment.class, environment)
                        .and(BeanFactory.class, new DefaultListableBeanFactory()),
                        (type, name, unloadable) -> { }); // as Boot does: an analyzer whose classes are absent is skipped
        return analyzers.stream()
                .filter(a -> a.getClass().getPackageName().equals(SluiceFailureAnalysisTest.class.getPackageName()))
                .map(a -> a.analyze(failure)).filter(Objects::nonNull).findFirst().orElseThrow();
    }

    private static FailureAnalysis analyze(AssertableApplicationContext context) {
        return analyze(context, new StandardEnvironment());
    }

    @Test
    void aKnobOutOfRangeNamesThePropertyWhereItWasSetAndTheAllowedRange() throws IOException {
        // From a properties file, as in an application, so that Boot knows the value's origin.
        PropertySource<?> file = new PropertiesPropertySourceLoader()
                .load("bad-pool-size", new ClassPathResource("bad-pool-size.properties")).get(0);
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(file);
        runner.withInitializer(c -> c.getEnvironment().getPropertySources().addFirst(file)).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessage("maximumPoolSize=0 must be between 1 and 10000");
            FailureAnalysis analysis = analyze(context, environment);
            assertThat(analysis.getDescription())
                    .contains("Property: spring.datasource.sluice.maximum-pool-size")
                    .contains("Origin: class path resource [bad-pool-size.properties] - 2:")
                    .contains("Reason: maximumPoolSize=0 must be between 1 and 10000");
            assertThat(analysis.getAction()).contains("spring.datasource.sluice.maximum-pool-size");
        });
    }

    @Test
    void aDurationBelowItsMinimumIsExplainedInSluicesUnits() {
        runner.withPropertyValues("spring.datasource.sluice.connection-timeout=10ms").run(context -> {
            FailureAnalysis analysis = analyze(context);
            assertThat(analysis.getDescription()).contains("spring.datasource.sluice.connection-timeout")
                    .contains("connectionTimeout=10ms must be at least 50ms");
        });
    }

    @Test
    void aRuleBetweenKnobsBlamesTheKnobSluiceNames() {
        runner.withPropertyValues("spring.datasource.sluice.maximum-pool-size=5", "spring.datasource.sluice.minimum-idle=8")
                .run(context -> {
                    FailureAnalysis analysis = analyze(context);
                    assertThat(analysis.getDescription()).contains("Property: spring.datasource.sluice.minimum-idle")
                            .contains("minimumIdle=8 must be between 0 and maximumPoolSize=5");
                });
    }

    @Test
    void anUnknownSluicePropertyFailsInsteadOfBeingIgnored() {
        runner.withPropertyValues("spring.datasource.sluice.maximum-pol-size=5").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("maximum-pol-size");
        });
    }

    /** A database that refuses at once: pgjdbc reports the refusal itself, where H2's client retries for a while. */
    private static String closedPortUrl() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        return "jdbc:postgresql://127.0.0.1:" + closedPort + "/down";
    }

    /** An application whose start-up uses the database: Boot's SQL initialization runs a script. */
    private ApplicationContextRunner downAtStart(String initializationFailTimeout) throws IOException {
        return runner.withConfiguration(AutoConfigurations.of(DataSourceInitializationAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + closedPortUrl(), "spring.datasource.sluice.pool-name=down-at-start",
                        "spring.datasource.sluice.connection-timeout=1s",
                        "spring.datasource.sluice.initialization-fail-timeout=" + initializationFailTimeout,
                        "spring.sql.init.mode=always", "spring.sql.init.schema-locations=classpath:schema-needs-the-database.sql");
    }

    private static StandardEnvironment environmentWith(String property, String value) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(property, value)));
        return environment;
    }

    @Test
    void aDatabaseDownAtStartWithATimeoutOfZeroStartsThePoolAsInHikariCpAndTheCallerThatFailedIsNamed() throws IOException {
        downAtStart("0").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = analyze(context,
                    environmentWith("spring.datasource.sluice.initialization-fail-timeout", "0"));
            assertThat(analysis.getDescription())
                    .startsWith("The Sluice connection pool 'down-at-start' started although its one start-up attempt failed"
                            + " (spring.datasource.sluice.initialization-fail-timeout=0 does not stop the start when the"
                            + " database cannot be reached), then bean 'dataSourceScriptDatabaseInitializer' could not get a"
                            + " connection while the application was starting.")
                    .containsPattern("Reason: (CONNECT_REFUSED|BREAKER_OPEN) \\(SLUICE-")
                    .doesNotContain("could not start")
                    .doesNotContain("analyzer-secret");
            assertThat(analysis.getAction()).contains("spring.sql.init.mode=never").doesNotContain("initialization-fail-timeout");
        });
    }

    @ParameterizedTest(name = "initialization-fail-timeout={0}")
    @ValueSource(strings = {"1ms", "5ms"})
    void aDatabaseDownAtStartWithOneCheckIsAPoolThatCouldNotStartWithWhatToDo(String initializationFailTimeout) throws IOException {
        downAtStart(initializationFailTimeout).run(context -> {
            assertThat(context).hasFailed();
            assertThat(SluiceFailure.reasonOf(context.getStartupFailure())).contains(FailureReason.CONNECT_REFUSED);
            FailureAnalysis analysis = analyze(context);
            assertThat(analysis.getDescription())
                    .startsWith("The Sluice connection pool 'down-at-start' could not start: its start-up check could not open"
                            + " a connection.")
                    .contains("Reason: CONNECT_REFUSED (SLUICE-CONNECT_REFUSED, transient)")
                    .doesNotContain("analyzer-secret");
            assertThat(analysis.getAction()).contains("spring.datasource.sluice.initialization-fail-timeout=-1");
        });
    }

    @Test
    void aDatabaseDownWithoutAStartupCheckIsABeanThatCouldNotConnectAndTheAdviceIsNotRepeated() throws IOException {
        downAtStart("-1").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = analyze(context,
                    environmentWith("spring.datasource.sluice.initialization-fail-timeout", "-1"));
            assertThat(analysis.getDescription())
                    .startsWith("The Sluice connection pool 'down-at-start' started without checking the database"
                            + " (spring.datasource.sluice.initialization-fail-timeout is negative), then bean"
                            + " 'dataSourceScriptDatabaseInitializer' could not get a connection while the application was"
                            + " starting.")
                    .containsPattern("Reason: (CONNECT_REFUSED|BREAKER_OPEN) \\(SLUICE-")
                    .doesNotContain("could not start")
                    .doesNotContain("analyzer-secret");
            assertThat(analysis.getAction()).contains("bean 'dataSourceScriptDatabaseInitializer' uses it")
                    .contains("spring.sql.init.mode=never")
                    .doesNotContain("initialization-fail-timeout");
        });
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aLongStartupCheckLogsItsRetriesEveryFewSecondsThenThePoolCouldNotStart(CapturedOutput output) throws IOException {
        long start = System.nanoTime();
        downAtStart("3s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("kept trying for the timeout")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
            assertThat(analyze(context).getDescription()).contains("'down-at-start' could not start");
        });
        assertThat(output).contains("down-at-start - start-up check: attempt 1 failed (CONNECT_REFUSED: ")
                .contains("ms more (initializationFailTimeout=3000ms)");
        // Attempts come every few hundred milliseconds; their lines at most one per 2 s: the first, and one ~2 s later.
        assertThat(output.getOut().split("down-at-start - start-up check: attempt", -1).length - 1).isBetween(1, 2);
    }
}
