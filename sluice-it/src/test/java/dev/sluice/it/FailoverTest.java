package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.CloseReason;
import dev.sluice.FailureReason;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import dev.sluice.SluiceFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Failover against a real PostgreSQL 15 primary (127.0.0.1:5440) and streaming standby (5441),
 * clusters of their own made by {@code setup-replication.sh}, which every test runs first so it
 * starts from a healthy pair whatever a previous run left. A write load runs from a few threads,
 * each borrow asking the server whether it is read-only; then the primary fails over, two ways:
 * the standby is promoted and the old primary stopped (57P01 on live connections), or the old
 * primary is made read-only first (25006) and the standby promoted after. What is asserted, with
 * wide margins on a shared machine, and printed as measured:
 * <ul>
 * <li>the idle connections of the old generation are closed within 1 s of the first signal;</li>
 * <li>no borrow made after the signal reaches a read-only or standby server;</li>
 * <li>the first write on the new primary succeeds within 2 s plus pgjdbc's hostRecheckSeconds of the
 * failover's start (the old primary's stop, or the promotion command);</li>
 * <li>connects never run more than maxConcurrentCreates at once.</li>
 * </ul>
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FailoverTest {
    /** hostRecheckSeconds: how long pgjdbc trusts what it learned about a host (primary or not); its default is 10. */
    static final int HOST_RECHECK_SECONDS = 2;
    static final String URL = "jdbc:postgresql://127.0.0.1:5440,127.0.0.1:5441/postgres?targetServerType=primary"
            + "&hostRecheckSeconds=" + HOST_RECHECK_SECONDS + "&connectTimeout=2&socketTimeout=10&ApplicationName=sluice-failover-it";
    static final String TABLE = "sluice_failover_it";
    static final String CHECK = "select pg_is_in_recovery(), current_setting('transaction_read_only')::boolean,"
            + " 'port ' || inet_server_port()";
    static final int SIZE = 8;
    static final int WRITERS = 3;
    static final int CREATES = 2;

    @BeforeEach
    void primaryAndStandby() throws Exception {
        TestDatabase.requireService("the PostgreSQL primary/standby pair on 127.0.0.1:5440/5441", replication("setup"),
                "sluice-it/setup-replication.sh");
    }

    /** Runs setup-replication.sh with {@code mode}; null on success, else what went wrong. */
    static String replication(String mode) throws InterruptedException {
        Path script = Path.of("setup-replication.sh").toAbsolutePath();
        if (!Files.isExecutable(script)) {
            return script + " not found";
        }
        try {
            Path out = Files.createTempFile("setup-replication", ".log");
            Process p = new ProcessBuilder("bash", script.toString(), mode).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return mode + " did not finish within 120 s";
            }
            String log = Files.readString(out, StandardCharsets.UTF_8).strip();
            Files.delete(out);
            return p.exitValue() == 0 ? null : mode + " exited " + p.exitValue() + ": " + log;
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static void sql(int port, String... statements) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("connectTimeout", "2");
        p.setProperty("socketTimeout", "10");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static SluiceDataSource pool(String name, FailoverLoad load) throws SQLException {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(URL);
        pg.setUser("postgres");
        // Through a DataSource only to count the connects under way; requirePrimary is what the URL's
        // targetServerType=primary turns on when the pool is given the URL itself.
        return new SluiceDataSource(SluiceConfig.builder().dataSource(load.counting(pg)).poolName(name)
                .maximumPoolSize(SIZE).minimumIdle(SIZE).maxConcurrentCreates(CREATES).requirePrimary(true)
                .connectionTimeout(Duration.ofSeconds(2)).listener(load).build());
    }

    /** The table exists (created on the primary, replicated), the pool is full, and the writers are writing. */
    private static void writing(FailoverLoad load, SluiceDataSource ds) throws SQLException {
        sql(5440, "create table if not exists " + TABLE + " (id bigserial primary key, at timestamptz default now())");
        Await.until(Duration.ofSeconds(10), () -> ds.stats().idle() == SIZE, "the pool filled");
        load.start(ds, "insert into " + TABLE + " default values", CHECK, WRITERS);
        Await.until(Duration.ofSeconds(10), () -> load.writes.get() > 50, "writes to the primary");
    }

    @Test
    void promotingTheStandbyAndStoppingThePrimaryMovesEveryWriteToTheNewPrimary() throws Exception {
        try (FailoverLoad load = new FailoverLoad(WRITERS, "port 5441"); SluiceDataSource ds = pool("failover-it-stop", load)) {
            writing(load, ds);

            assertThat(replication("promote")).isNull();
            long stopping = System.nanoTime();
            load.writesFrom = stopping;
            assertThat(replication("stop-primary")).isNull();
            Await.until(Duration.ofSeconds(10), () -> load.trigger != null, "the pool's failover event");
            Await.until(Duration.ofSeconds(20), () -> load.firstWrite.get() != 0, "a write on the new primary");
            Await.sleep(Duration.ofSeconds(1));
            report("promote, then stop the old primary", load, stopping, "the stop began");
            assertions(load, ds, stopping);
        }
    }

    @Test
    void aPrimaryMadeReadOnlyIsLeftAtItsFirstReadOnlyErrorAndWritesResumeOnThePromotedStandby() throws Exception {
        try (FailoverLoad load = new FailoverLoad(WRITERS, "port 5441"); SluiceDataSource ds = pool("failover-it-readonly", load)) {
            writing(load, ds);

            sql(5440, "alter system set default_transaction_read_only = on", "select pg_reload_conf()");
            Await.until(Duration.ofSeconds(10), () -> load.trigger != null, "the pool's failover event");
            assertThat(load.trigger).isEqualTo("25006");
            long promoting = System.nanoTime();
            load.writesFrom = promoting;
            assertThat(replication("promote")).isNull();
            Await.until(Duration.ofSeconds(20), () -> load.firstWrite.get() != 0, "a write on the new primary");
            Await.sleep(Duration.ofSeconds(1));
            report("old primary read-only, then promote", load, promoting, "the promotion began");
            assertions(load, ds, promoting);
        }
    }

    /** @param upAt when the failover began: the old primary stopping, or the standby's promotion */
    @Test
    void aPoolThatRequiresAPrimaryRefusesTheStandbyAtStartWithAClassifiedError() {
        assertThatThrownBy(() -> new SluiceDataSource(SluiceConfig.builder().poolName("failover-it-standby")
                .jdbcUrl("jdbc:postgresql://127.0.0.1:5441/postgres").username("postgres").requirePrimary(true)
                .initializationFailTimeout(Duration.ofMillis(300)).build()))
                .isInstanceOfSatisfying(SluiceFailure.class, f -> assertThat(f.reason()).isEqualTo(FailureReason.CONNECT_REFUSED))
                .hasMessageContaining("answered from a standby (pg_is_in_recovery() is true)");
    }

    private static void assertions(FailoverLoad load, SluiceDataSource ds, long upAt) {
        int idleAtSignal = SIZE - WRITERS;
        assertThat(load.closedWithinMillis(idleAtSignal)).as("the idle connections closed after the signal")
                .isBetween(0L, 1000L);
        assertThat(load.readOnlyBorrows).as("borrows after the signal that reached a read-only server").isEmpty();
        assertThat(TimeUnit.NANOSECONDS.toMillis(load.firstWrite.get() - upAt))
                .as("first write on the new primary, ms").isLessThan(2000 + HOST_RECHECK_SECONDS * 1000L + 3000);
        assertThat(load.connectsAtOnce.get()).as("connects under way at once").isLessThanOrEqualTo(CREATES);
        assertThat(ds.stats().closed(CloseReason.FAILOVER)).isGreaterThanOrEqualTo(idleAtSignal);
    }

    private static void report(String scenario, FailoverLoad load, long upAt, String up) {
        System.out.printf("[failover-it] %s: signal %s; %d idle connections closed %d ms after it; first write on the new"
                + " primary %d ms after the signal, %d ms after %s; %d connects, at most %d at once; errors by SQLState %s;"
                + " %d writes; read-only borrows after the signal: %d%n", scenario, load.trigger, SIZE - WRITERS,
                load.closedWithinMillis(SIZE - WRITERS), TimeUnit.NANOSECONDS.toMillis(load.firstWrite.get() - load.failoverAt.get()),
                TimeUnit.NANOSECONDS.toMillis(load.firstWrite.get() - upAt), up, load.connects.get(), load.connectsAtOnce.get(),
                load.errors, load.writes.get(), load.readOnlyBorrows.size());
    }
}
