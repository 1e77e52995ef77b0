package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import dev.sluice.FailureReason;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import dev.sluice.SluiceFailure;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;

/**
 * A wrong password is a configuration error: it fails fast (no waiting for connectionTimeout, no
 * retries until a deadline), classified AUTHENTICATION_FAILED, not transient, so callers and
 * frameworks know a retry cannot help.
 *
 * <p>PostgreSQL: the local server trusts loopback connections, so a password is only checked for
 * the {@code sluice_it} role once {@code sluice-it/setup-databases.sh} has added a
 * {@code scram-sha-256} rule for it to {@code pg_hba.conf}. Without it, the PostgreSQL variant is
 * skipped, or failed when {@code CI=true} (CI runs the script first).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthenticationTest {
    private static final String WRONG = "wrong-password-4711";
    /** Far longer than a rejected login takes: failing fast means failing well before it. */
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);
    private static final long FAST_MS = 3000;

    private static SluiceConfig.Builder wrongPassword(TestDatabase db, String test) throws Exception {
        String problem = db.ensurePasswordChecked();
        if (problem != null) {
            if (TestDatabase.CI) {
                fail(db + ": " + problem + " (CI=true: .ci/run must run sluice-it/setup-databases.sh)");
            }
            Assumptions.abort(db + ": " + problem + "; skipped (set CI=true to make this a failure)");
        }
        return db.config("it-" + test + "-" + db.kind())
                .username(db.protectedUser())
                .password(WRONG)
                .connectionTimeout(CONNECTION_TIMEOUT);
    }

    private static void assertAuthenticationFailed(Throwable t, String poolName) {
        assertThat(t).isInstanceOf(SQLNonTransientConnectionException.class).isInstanceOf(SluiceFailure.class);
        SluiceFailure f = (SluiceFailure) t;
        assertThat(f.reason()).as("reason of: %s", t.getMessage()).isEqualTo(FailureReason.AUTHENTICATION_FAILED);
        assertThat(f.isTransient()).isFalse();
        assertThat(f.poolName()).isEqualTo(poolName);
        assertThat(t.getMessage()).as("names the pool").contains(poolName);
        assertThat(t.getMessage()).as("never shows the password").doesNotContain(WRONG);
    }

    @DatabaseTest
    void aWrongPasswordFailsTheStartupCheckFastAsAuthenticationFailed(TestDatabase db) throws Exception {
        SluiceConfig config = wrongPassword(db, "wrong-password-startup").build();
        long start = System.nanoTime();
        Throwable t = catchThrowable(() -> new SluiceDataSource(config).close());
        long ms = Await.millisSince(start);
        assertAuthenticationFailed(t, config.poolName());
        assertThat(ms).as("well under connectionTimeout=%s", CONNECTION_TIMEOUT).isLessThan(FAST_MS);
    }

    @DatabaseTest
    void aWrongPasswordFailsGetConnectionFastAsAuthenticationFailedWhenStartedLazily(TestDatabase db) throws Exception {
        SluiceConfig config = wrongPassword(db, "wrong-password-lazy").initializationFailTimeout(Duration.ofMillis(-1)).build();
        try (SluiceDataSource ds = new SluiceDataSource(config)) {
            for (int i = 0; i < 3; i++) { // the first call, and the ones after it
                long start = System.nanoTime();
                Throwable t = catchThrowable(ds::getConnection);
                long ms = Await.millisSince(start);
                assertAuthenticationFailed(t, config.poolName());
                assertThat(ms).as("call %d: well under connectionTimeout=%s", i + 1, CONNECTION_TIMEOUT).isLessThan(FAST_MS);
            }
            assertThat(ds.stats().lastConnectFailure()).isEqualTo(FailureReason.AUTHENTICATION_FAILED);
            assertThat(ds.stats().toString()).doesNotContain(WRONG);
        }
    }
}
