package dev.sluice.spring.boot.apps.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The pool's own lines reach the application's log through Boot's logging system, as a real
 * application starts and stops: the start line, a warning raised while the context shuts down
 * (after Boot has already taken its logging bridges down), and the close line.
 */
@ExtendWith(OutputCaptureExtension.class)
class PoolLoggingInBootsLogTest {

    @Test
    void startShutdownWarningsAndCloseAreInTheApplicationsLog(CapturedOutput output) throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(PlainJdbcApplication.class)
                .web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off",
                        "spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                        "spring.datasource.username=sa", "spring.datasource.password=logging-secret",
                        "spring.datasource.sluice.pool-name=logged", "spring.datasource.sluice.maximum-pool-size=3",
                        "spring.datasource.sluice.shutdown-timeout=100ms")
                .run();
        assertThat(output).containsPattern("INFO .* dev\\.sluice\\.Pool +: logged - started: url=jdbc:h2:mem:.*maximumPoolSize=3");
        assertThat(output.getOut().split("logged - started", -1)).as("the start line once, not once per bridge").hasSize(2);

        Connection stillBorrowed = context.getBean(DataSource.class).getConnection();
        context.close();
        assertThat(stillBorrowed.isClosed()).isTrue();
        assertThat(output).containsPattern("WARN .* dev\\.sluice\\.Pool +: logged: aborting a connection still borrowed at shutdown")
                .containsPattern("INFO .* dev\\.sluice\\.Pool +: logged - closed")
                .doesNotContain("logging-secret");
    }
}
