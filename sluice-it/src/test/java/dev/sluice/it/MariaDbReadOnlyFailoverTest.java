package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.CloseReason;
import dev.sluice.SluiceDataSource;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The failover path on MariaDB: the shared server is made read-only ({@code SET GLOBAL read_only=1})
 * for about a second, so a write from a user without READ ONLY ADMIN fails with 1290. That error
 * starts a new pool generation (idle connections closed at once), new connections are refused
 * while the server is read-only ({@code requirePrimary}), and writes resume as soon as it is not.
 * The server is shared: the user is created by the test, root (which read_only does not stop)
 * keeps working for everyone else, and read_only is restored in {@code finally}, at most ~2 s later.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MariaDbReadOnlyFailoverTest {
    private static final String USER = "sluice_failover_it";
    private static final String PASSWORD = "failover-it-secret";
    private static final String TABLE = "test.sluice_failover_it";
    private static final int SIZE = 4;
    private static final int WRITERS = 2;

    @Test
    void aReadOnlyServerIsLeftAtTheFirst1290AndWritesResumeWhenItIsWritableAgain() throws Exception {
        TestDatabase db = TestDatabase.MARIADB;
        db.requireAvailable();
        db.execute("create table if not exists " + TABLE + " (id bigint auto_increment primary key)",
                "create user if not exists '" + USER + "'@'%' identified by '" + PASSWORD + "'",
                "grant select, insert on " + TABLE + " to '" + USER + "'@'%'");
        try (FailoverLoad load = new FailoverLoad(WRITERS, "port 3306");
                SluiceDataSource ds = new SluiceDataSource(db.config("failover-it-mariadb").username(USER).password(PASSWORD)
                        .maximumPoolSize(SIZE).minimumIdle(SIZE).requirePrimary(true).listener(load).build())) {
            Await.until(Duration.ofSeconds(10), () -> ds.stats().idle() == SIZE, "the pool filled");
            load.start(ds, "insert into " + TABLE + " () values ()", "select @@global.read_only, 0, concat('port ', @@port)", WRITERS);
            Await.until(Duration.ofSeconds(10), () -> load.writes.get() > 30, "writes");

            long readOnlyFor;
            long on = System.nanoTime();
            try {
                db.execute("set global read_only = 1");
                long deadline = on + TimeUnit.SECONDS.toNanos(2);
                while (load.trigger == null && System.nanoTime() - deadline < 0) {
                    Await.sleep(Duration.ofMillis(5));
                }
                Await.sleep(Duration.ofMillis(200)); // new connects meet the read-only server meanwhile
            } finally {
                db.execute("set global read_only = 0");
                readOnlyFor = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - on);
            }
            long writable = System.nanoTime();
            load.writesFrom = writable;
            Await.until(Duration.ofSeconds(10), () -> load.firstWrite.get() != 0, "a write once writable again");
            System.out.printf("[failover-it] MariaDB read_only for %d ms: signal %s; %d idle connections closed %d ms after it;"
                    + " first write %d ms after read_only=0; errors %s; read-only borrows after the signal: %d%n",
                    readOnlyFor, load.trigger, SIZE - WRITERS, load.closedWithinMillis(SIZE - WRITERS),
                    TimeUnit.NANOSECONDS.toMillis(load.firstWrite.get() - writable), load.errors,
                    load.readOnlyBorrows.size());

            assertThat(load.trigger).isEqualTo("MariaDB 1290 (HY000)");
            assertThat(load.closedWithinMillis(SIZE - WRITERS)).as("idle connections closed after the signal").isBetween(0L, 1000L);
            assertThat(load.readOnlyBorrows).isEmpty();
            assertThat(TimeUnit.NANOSECONDS.toMillis(load.firstWrite.get() - writable)).as("first write, ms").isLessThan(3000);
            assertThat(ds.stats().closed(CloseReason.FAILOVER)).isGreaterThanOrEqualTo(SIZE - WRITERS);
        } finally {
            db.execute("set global read_only = 0", "drop user if exists '" + USER + "'@'%'", "drop table if exists " + TABLE);
        }
    }
}
