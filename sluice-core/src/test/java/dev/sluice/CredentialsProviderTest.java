package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The credentials provider against H2, which checks passwords: it is asked on every connect, its
 * failure is classified, a rotation between its answer and the server's check is absorbed, and its
 * secrets never show.
 */
class CredentialsProviderTest {
    private static final AtomicInteger DB = new AtomicInteger();

    /** An in-memory H2 database whose admin {@code sa} has {@code password}; kept open by the returned connection. */
    private static Connection database(String url, String password) throws SQLException {
        return DriverManager.getConnection(url, "sa", password);
    }

    private static String url() {
        return "jdbc:h2:mem:creds" + DB.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    }

    private static void setPassword(Connection admin, String password) throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute("ALTER USER sa SET PASSWORD '" + password + "'");
        }
    }

    @Test
    void everyNewConnectionAsksTheProvider() throws Exception {
        String url = url();
        AtomicInteger asked = new AtomicInteger();
        try (Connection admin = database(url, "first-secret");
             SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(url)
                     .credentialsProvider(() -> {
                         asked.incrementAndGet();
                         return new CredentialsProvider.Credentials("sa", "first-secret");
                     })
                     .maximumPoolSize(3).minimumIdle(0).build())) {
            Connection a = ds.getConnection();
            Connection b = ds.getConnection();
            assertThat(a.isValid(1)).isTrue();
            assertThat(b.isValid(1)).isTrue();
            a.close();
            b.close();
            assertThat(asked.get()).as("one call per physical connect: start-up check + 2 borrows, at most one more by a fill")
                    .isEqualTo((int) ds.stats().created());
            assertThat(admin.isClosed()).isFalse();
        }
    }

    @Test
    void aRotatedPasswordReachesNewConnectionsWithoutAnyFailure() throws Exception {
        String url = url();
        AtomicReference<String> secret = new AtomicReference<>("v1");
        try (Connection admin = database(url, "v1");
             SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(url).username("sa")
                     .credentialsProvider(() -> new CredentialsProvider.Credentials(null, secret.get()))
                     .maximumPoolSize(2).minimumIdle(0).build())) {
            for (int round = 2; round <= 5; round++) {
                String next = "v" + round;
                setPassword(admin, next);
                secret.set(next);
                ds.evictAll();
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    assertThat(s.execute("select 1")).isTrue();
                }
            }
            assertThat(ds.stats().createFailures()).isZero();
        }
    }

    @Test
    void aRejectionRightAfterARotationIsRetriedWithTheNewSecretInsideTheSameAttempt() throws Exception {
        String url = url();
        AtomicReference<String> secret = new AtomicReference<>("old");
        AtomicInteger asked = new AtomicInteger();
        try (Connection admin = database(url, "old");
             SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(url).username("sa")
                     .initializationFailTimeout(Duration.ofMillis(-1))
                     .credentialsProvider(() -> {
                         // The rotation lands between the provider's first answer and the server's check.
                         if (asked.incrementAndGet() == 1) {
                             setPassword(admin, "new");
                             String stale = secret.getAndSet("new");
                             return new CredentialsProvider.Credentials(null, stale);
                         }
                         return new CredentialsProvider.Credentials(null, secret.get());
                     })
                     .maximumPoolSize(1).minimumIdle(0).build())) {
            try (Connection c = ds.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
            assertThat(asked.get()).isEqualTo(2);
            assertThat(ds.stats().createFailures()).as("the retry is part of the attempt").isZero();
        }
    }

    @Test
    void aProviderThatFailsIsClassifiedAndItsMessageKept() throws Exception {
        String url = url();
        try (Connection admin = database(url, "s")) {
            Throwable t = catchThrowable(() -> new SluiceDataSource(SluiceConfig.builder().jdbcUrl(url)
                    .credentialsProvider(() -> {
                        throw new java.io.IOException("token service unreachable");
                    })
                    .connectionTimeout(Duration.ofSeconds(2)).build()).close());
            assertThat(t).isInstanceOf(SluiceFailure.class);
            assertThat(((SluiceFailure) t).reason()).isEqualTo(FailureReason.CREDENTIALS_UNAVAILABLE);
            assertThat(((SluiceFailure) t).isTransient()).isTrue();
            assertThat(t.getMessage()).contains("credentials provider").contains("token service unreachable");
            assertThat(t).hasRootCauseInstanceOf(java.io.IOException.class);
            assertThat(admin.isClosed()).isFalse();
        }
    }

    @Test
    void aWrongSecretFromTheProviderIsStillAnAuthenticationFailureAndNeverShown() throws Exception {
        String url = url();
        try (Connection admin = database(url, "right")) {
            Throwable t = catchThrowable(() -> new SluiceDataSource(SluiceConfig.builder().jdbcUrl(url).username("sa")
                    .credentialsProvider(() -> new CredentialsProvider.Credentials(null, "wrong-secret-123"))
                    .connectionTimeout(Duration.ofSeconds(2)).build()).close());
            assertThat(t).isInstanceOf(SluiceFailure.class);
            assertThat(((SluiceFailure) t).reason()).isEqualTo(FailureReason.AUTHENTICATION_FAILED);
            assertThat(t.getMessage()).doesNotContain("wrong-secret-123");
            assertThat(admin.isClosed()).isFalse();
        }
    }

    @Test
    void aPasswordAndAProviderTogetherAreAConflict() {
        assertThatThrownBy(() -> SluiceConfig.builder().jdbcUrl("jdbc:h2:mem:x").password("p")
                .credentialsProvider(() -> new CredentialsProvider.Credentials("u", "p")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("credentialsProvider")
                .hasMessageContaining("password");
    }

    public static final class FixedProvider implements CredentialsProvider {
        @Override
        public Credentials credentials() {
            return new Credentials("sa", "fixed-secret");
        }
    }

    @Test
    void aProviderIsNamedByClassInProperties() throws Exception {
        String url = url();
        Properties p = new Properties();
        p.setProperty("jdbcUrl", url);
        p.setProperty("credentialsProviderClassName", FixedProvider.class.getName());
        SluiceConfig config = SluiceConfig.fromProperties(p);
        assertThat(config.credentialsProvider()).isInstanceOf(FixedProvider.class);
        assertThat(config.toString()).contains(FixedProvider.class.getName()).doesNotContain("fixed-secret");
        try (Connection admin = database(url, "fixed-secret"); SluiceDataSource ds = new SluiceDataSource(config);
             Connection c = ds.getConnection()) {
            assertThat(c.isValid(1)).isTrue();
            assertThat(admin.isClosed()).isFalse();
        }
        p.setProperty("credentialsProviderClassName", "com.example.NoSuchProvider");
        assertThatThrownBy(() -> SluiceConfig.fromProperties(p))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("credentialsProviderClassName=com.example.NoSuchProvider");
    }

    @Test
    void setCredentialsReplacesTheProvider() throws Exception {
        String url = url();
        AtomicInteger asked = new AtomicInteger();
        try (Connection admin = database(url, "a");
             SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(url)
                     .credentialsProvider(() -> {
                         asked.incrementAndGet();
                         return new CredentialsProvider.Credentials("sa", "a");
                     })
                     .maximumPoolSize(1).minimumIdle(0).build())) {
            int before = asked.get();
            setPassword(admin, "b");
            ds.setCredentials("sa", "b");
            ds.evictAll();
            try (Connection c = ds.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
            assertThat(asked.get()).isEqualTo(before);
        }
    }
}
