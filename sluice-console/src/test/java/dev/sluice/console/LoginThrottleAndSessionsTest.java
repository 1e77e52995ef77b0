package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The throttle's one-minute window and the sessions' lifetime, on a clock the test moves. */
class LoginThrottleAndSessionsTest {
    private final AtomicLong now = new AtomicLong(123_456_789L);

    @Test
    void anAddressIsBlockedAfterFiveFailuresUntilTheOldestIsAMinuteOld() throws Exception {
        LoginThrottle throttle = new LoginThrottle(now::get);
        InetAddress guesser = InetAddress.getByName("192.0.2.7");
        InetAddress operator = InetAddress.getByName("192.0.2.8");
        for (int i = 0; i < LoginThrottle.LIMIT; i++) {
            assertThat(throttle.blocked(guesser)).isFalse();
            throttle.failed(guesser);
            now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        }
        assertThat(throttle.blocked(guesser)).isTrue();
        assertThat(throttle.blocked(operator)).as("another address is not affected").isFalse();
        now.addAndGet(TimeUnit.SECONDS.toNanos(54)); // the first failure is 59 s old
        assertThat(throttle.blocked(guesser)).isTrue();
        now.addAndGet(TimeUnit.SECONDS.toNanos(1)); // now 60 s: four failures left in the window
        assertThat(throttle.blocked(guesser)).isFalse();
        throttle.failed(guesser);
        assertThat(throttle.blocked(guesser)).isTrue();
    }

    @Test
    void aSessionEndsAtItsLifetimeAtLogoutAndWhenTheConsoleStops() {
        Sessions sessions = new Sessions(now::get);
        String id = sessions.start("127.0.0.1");
        assertThat(sessions.find(id).who()).matches("session [0-9a-f]{8} from 127\\.0\\.0\\.1");
        assertThat(sessions.find(id + "x")).isNull();
        assertThat(sessions.find(null)).isNull();
        now.addAndGet(Sessions.LIFETIME_NANOS - 1);
        assertThat(sessions.find(id)).isNotNull();
        now.addAndGet(1);
        assertThat(sessions.find(id)).isNull();

        String other = sessions.start("127.0.0.1");
        assertThat(sessions.find(other).csrfToken()).isNotEqualTo(other).hasSizeGreaterThanOrEqualTo(43);
        sessions.end(other);
        assertThat(sessions.find(other)).isNull();
        String third = sessions.start("127.0.0.1");
        sessions.clear();
        assertThat(sessions.find(third)).isNull();
    }
}
