package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.stub.StubDatabase;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A runtime change is refused the same way whether it comes through the data source, the MXBean
 * or the builder: the same knob, the same message, and the pool left as it was.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RuntimeKnobsTest {
    private final StubDatabase db = StubDatabase.create();

    @Test
    void theDataSourceAndTheMxBeanRefuseABadValueWithTheBuildersMessage() throws Exception {
        SluiceConfig config = SluiceConfig.builder().jdbcUrl(db.url()).poolName("knobs-" + db.url().substring(10))
                .maximumPoolSize(2).minimumIdle(1).connectionTimeout(Duration.ofSeconds(3)).registerMbeans(true).build();
        try (SluiceDataSource ds = new SluiceDataSource(config)) {
            ObjectName name = new ObjectName("dev.sluice:type=Pool,name=" + ObjectName.quote(ds.poolName()));
            SluicePoolMXBean mbean = JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(), name, SluicePoolMXBean.class);

            String timeout = messageOf(catchThrowable(() -> SluiceConfig.builder().connectionTimeout(Duration.ofMillis(10))));
            assertThat(timeout).isEqualTo("connectionTimeout=10ms must be at least 50ms");
            assertThat(messagesOf(catchThrowable(() -> ds.setConnectionTimeout(Duration.ofMillis(10))))).contains(timeout);
            assertThat(messagesOf(catchThrowable(() -> mbean.setConnectionTimeoutMillis(10)))).contains(timeout);

            String idle = messageOf(catchThrowable(() -> SluiceConfig.builder().idleTimeout(Duration.ofMillis(500))));
            assertThat(messagesOf(catchThrowable(() -> ds.setIdleTimeout(Duration.ofMillis(500))))).contains(idle);
            assertThat(messagesOf(catchThrowable(() -> mbean.setIdleTimeoutMillis(500)))).contains(idle);

            String leak = messageOf(catchThrowable(() -> SluiceConfig.builder().leakDetectionThreshold(Duration.ofMillis(20))));
            assertThat(messagesOf(catchThrowable(() -> ds.setLeakDetectionThreshold(Duration.ofMillis(20))))).contains(leak);
            assertThat(messagesOf(catchThrowable(() -> mbean.setLeakDetectionThresholdMillis(20)))).contains(leak);

            String size = messageOf(catchThrowable(() -> SluiceConfig.builder().maximumPoolSize(0)));
            assertThat(messagesOf(catchThrowable(() -> ds.resize(0, 0)))).contains(size);
            assertThat(messagesOf(catchThrowable(() -> mbean.setMaximumPoolSize(0)))).contains(size);

            String aboveMax = "minimumIdle=5 must be between 0 and maximumPoolSize=2";
            assertThat(messagesOf(catchThrowable(() -> SluiceConfig.builder().jdbcUrl(db.url()).maximumPoolSize(2).minimumIdle(5).build())))
                    .anySatisfy(m -> assertThat(m).contains(aboveMax));
            assertThat(messagesOf(catchThrowable(() -> ds.resize(2, 5)))).contains(aboveMax);
            assertThat(messagesOf(catchThrowable(() -> mbean.setMinimumIdle(5)))).contains(aboveMax);

            assertThat(ds.stats().maximumPoolSize()).as("nothing refused was applied").isEqualTo(2);
            assertThat(ds.stats().minimumIdle()).isEqualTo(1);
            assertThat(mbean.getConnectionTimeoutMillis()).isEqualTo(3000);
            assertThat(mbean.getIdleTimeoutMillis()).isEqualTo(config.idleTimeout().toMillis());
            assertThat(mbean.getLeakDetectionThresholdMillis()).isZero();

            mbean.setConnectionTimeoutMillis(2000);
            assertThat(ds.getLoginTimeout()).as("a valid change through the MXBean reaches the data source").isEqualTo(2);
        }
    }

    private static String messageOf(Throwable t) {
        assertThat(t).isInstanceOf(IllegalArgumentException.class);
        return t.getMessage();
    }

    /** The messages along the cause chain: JMX may wrap what the pool threw. */
    private static List<String> messagesOf(Throwable t) {
        assertThat(t).as("refused").isNotNull();
        List<String> messages = new ArrayList<>();
        for (Throwable c = t; c != null && messages.size() < 10; c = c.getCause()) {
            messages.add(c.getMessage());
        }
        return messages;
    }
}
