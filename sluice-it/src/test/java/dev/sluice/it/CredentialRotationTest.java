package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.sluice.CredentialsProvider;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A password rotated on the server every few seconds, as a secret store or a token service does,
 * while an application keeps querying: with a {@link CredentialsProvider} that reads the current
 * secret, not one failure reaches the application. Connections are retired every couple of seconds
 * (short maxLifetime, periodic evictAll) so that new connects keep landing around each rotation.
 *
 * <p>The server's password check needs {@code sluice-it/setup-databases.sh} on PostgreSQL (its
 * loopback connections are otherwise trusted); without it the PostgreSQL run is skipped, or fails
 * with {@code CI=true}. PostgreSQL runs a minute, MariaDB a quarter of that.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class CredentialRotationTest {
    private static final int CLIENTS = 6;
    private static final Duration ROTATE_EVERY = Duration.ofSeconds(2);

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sluice.it.TestDatabase#postgresAndMariaDb")
    @ExtendWith(RequireDatabase.class)
    void aPasswordRotatedUnderLoadNeverReachesTheApplicationAsAFailure(TestDatabase db) throws Exception {
        String problem = db.ensurePasswordChecked();
        if (problem != null) {
            if (TestDatabase.CI) {
                fail(db + ": " + problem + " (CI=true: .ci/run must run sluice-it/setup-databases.sh)");
            }
            Assumptions.abort(db + ": " + problem + "; skipped (set CI=true to make this a failure)");
        }
        Duration runFor = db.kind() == TestDatabase.Kind.POSTGRESQL ? Duration.ofSeconds(60) : Duration.ofSeconds(15);
        AtomicReference<String> secret = new AtomicReference<>(TestDatabase.PROTECTED_PASSWORD);
        AtomicLong asked = new AtomicLong();
        SluiceConfig config = SluiceConfig.builder()
                .poolName("it-rotation-" + db.kind())
                .jdbcUrl(db.url())
                .username(db.protectedUser())
                .credentialsProvider(() -> {
                    asked.incrementAndGet();
                    return new CredentialsProvider.Credentials(null, secret.get());
                })
                .maximumPoolSize(4)
                .minimumIdle(2)
                .maxLifetime(Duration.ofSeconds(2))
                .idleTimeout(Duration.ZERO)
                .keepaliveTime(Duration.ZERO)
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong queries = new AtomicLong();
        int rotations = 0;
        try (SluiceDataSource ds = new SluiceDataSource(config)) {
            long end = System.nanoTime() + runFor.toNanos();
            List<Thread> clients = new java.util.ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                Thread client = new Thread(() -> {
                    while (System.nanoTime() - end < 0) {
                        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                             ResultSet rs = s.executeQuery("select 1")) {
                            rs.next();
                            queries.incrementAndGet();
                        } catch (SQLException | RuntimeException e) {
                            failures.add(e);
                        }
                        sleepQuietly(5);
                    }
                }, "rotation-client-" + i);
                client.start();
                clients.add(client);
            }
            try {
                long nextRotation = System.nanoTime() + ROTATE_EVERY.toNanos();
                while (System.nanoTime() - end < 0) {
                    if (System.nanoTime() - nextRotation >= 0) {
                        rotations++;
                        String next = "rotated-" + rotations + "-" + Long.toHexString(System.nanoTime());
                        // The server first, then the store: the order a rotation job follows.
                        db.setProtectedPassword(next);
                        secret.set(next);
                        nextRotation += ROTATE_EVERY.toNanos();
                        if (rotations % 2 == 0) {
                            ds.evictAll(); // on top of the lifetime retirements: a burst of connects
                        }
                    }
                    sleepQuietly(50);
                }
            } finally {
                for (Thread t : clients) {
                    t.join(TimeUnit.SECONDS.toMillis(20));
                }
            }
            long created = ds.stats().created();
            assertThat(failures).as("failures the application saw (first: %s)", failures.peek()).isEmpty();
            assertThat(rotations).as("rotations").isGreaterThanOrEqualTo((int) (runFor.toSeconds() / ROTATE_EVERY.toSeconds()) - 1);
            assertThat(created).as("connects spread over the rotations").isGreaterThan(2L * rotations);
            assertThat(asked.get()).as("the provider is asked on every connect").isGreaterThanOrEqualTo(created);
            assertThat(queries.get()).isPositive();
            assertThat(ds.stats().toString()).doesNotContain(secret.get());
        } finally {
            db.setProtectedPassword(TestDatabase.PROTECTED_PASSWORD);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
