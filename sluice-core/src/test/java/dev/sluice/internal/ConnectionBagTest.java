package dev.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class ConnectionBagTest {
    private static final long THREAD_A = 0;
    private static final long THREAD_B = 1;

    private static ConnectionBag bagOf(int n) {
        ConnectionBag bag = new ConnectionBag(Ticker.system());
        for (int i = 0; i < n; i++) {
            PooledConnection e = new PooledConnection(null, i, 0, 0, 0, false);
            bag.add(e);
            bag.offerNew(e); // idle, as the pool publishes a new connection
        }
        return bag;
    }

    @Test
    void aThreadThatHadToMoveOnStartsWhereItLastFoundOne() {
        ConnectionBag bag = bagOf(4);
        PooledConnection[] entries = bag.snapshot();
        PooledConnection heldByB = bag.poll(THREAD_A + 4); // a thread whose id maps to A's first slot
        assertThat(heldByB).isSameAs(entries[0]);

        PooledConnection a = bag.poll(THREAD_A);
        assertThat(a).as("slot 0 is taken: A moves on").isSameAs(entries[1]);
        bag.offer(heldByB);
        bag.offer(a);

        assertThat(bag.poll(THREAD_A)).as("A starts at slot 1 now, although slot 0 is idle again").isSameAs(entries[1]);
        assertThat(bag.poll(THREAD_A + 8)).as("a thread with no hint yet starts at its id's slot").isSameAs(entries[0]);
    }

    @Test
    void aHintBeyondAShrunkenArrayFallsBackToTheThreadsSlot() {
        ConnectionBag bag = bagOf(4);
        PooledConnection[] entries = bag.snapshot();
        PooledConnection[] held = {bag.poll(THREAD_A), bag.poll(THREAD_A), bag.poll(THREAD_A)};
        PooledConnection last = bag.poll(THREAD_A);
        assertThat(last).isSameAs(entries[3]);
        for (PooledConnection e : held) {
            e.setState(PooledConnection.REMOVED);
            bag.remove(e);
        }
        bag.offer(last);
        assertThat(bag.size()).isEqualTo(1);
        assertThat(bag.poll(THREAD_A)).as("the hint (slot 3) is past the end of a bag of 1").isSameAs(last);
    }

    @Test
    void aReturnThatWakesAWaiterStillReachesIt() throws Exception {
        ConnectionBag bag = bagOf(1);
        PooledConnection only = bag.poll(THREAD_A);
        CompletableFuture<PooledConnection> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return bag.await(THREAD_B, System.nanoTime() + TimeUnit.SECONDS.toNanos(10), () -> { });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        while (bag.waiting() == 0) {
            Thread.onSpinWait();
        }
        bag.offerReturned(only);
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isSameAs(only);
        assertThat(only.state()).isEqualTo(PooledConnection.IN_USE);
    }

    private static final long LONG_WAIT = TimeUnit.SECONDS.toNanos(10);

    /** Starts a thread that waits in {@code bag} and reports what it got; returns once it is queued. */
    private static CompletableFuture<PooledConnection> waiter(ConnectionBag bag, long threadId, long waitNanos) throws InterruptedException {
        int before = bag.waiting();
        CompletableFuture<PooledConnection> got = CompletableFuture.supplyAsync(() -> {
            try {
                return bag.await(threadId, System.nanoTime() + waitNanos, () -> { });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, r -> new Thread(r, "waiter-" + threadId).start());
        while (bag.waiting() == before && !got.isDone()) {
            Thread.sleep(1);
        }
        return got;
    }

    /** Lets every queued waiter pass the starvation bound, after which entries are handed over directly. */
    private static void starve() throws InterruptedException {
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(ConnectionBag.STARVATION_NANOS) * 5);
    }

    @Test
    void starvingWaitersAreServedInTheOrderTheyCame() throws Exception {
        ConnectionBag bag = bagOf(1);
        PooledConnection only = bag.poll(THREAD_A);
        BlockingQueue<Integer> order = new LinkedBlockingQueue<>();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int me = i;
            // Each one hands the entry on when it gets it, so the next one in the queue is served next.
            done.add(waiter(bag, 10 + i, LONG_WAIT).thenAccept(e -> {
                order.add(me);
                bag.offer(e);
            }));
        }
        starve();
        bag.offer(only);
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
        assertThat(bag.poll(THREAD_A)).as("idle again once nobody waits").isSameAs(only);
    }

    @Test
    void neitherTheReturnerNorANewcomerTakesAnEntryBeforeAStarvingWaiter() throws Exception {
        ConnectionBag bag = bagOf(1);
        PooledConnection only = bag.poll(THREAD_A);
        CompletableFuture<PooledConnection> waiting = waiter(bag, THREAD_B, LONG_WAIT);
        starve();
        bag.offer(only);
        assertThat(bag.poll(THREAD_A)).as("the returner coming back for more").isNull();
        assertThat(bag.poll(THREAD_A + 1)).as("a newcomer").isNull();
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isSameAs(only);
    }

    @Test
    void aWaiterThatGaveUpIsSkippedWithoutLeavingTheQueue() throws Exception {
        ConnectionBag bag = bagOf(2);
        PooledConnection a = bag.poll(THREAD_A);
        PooledConnection b = bag.poll(THREAD_A);
        CompletableFuture<PooledConnection> first = waiter(bag, 10, LONG_WAIT);
        CompletableFuture<PooledConnection> quitter = waiter(bag, 11, TimeUnit.MILLISECONDS.toNanos(20));
        CompletableFuture<PooledConnection> third = waiter(bag, 12, LONG_WAIT);
        assertThat(quitter.get(5, TimeUnit.SECONDS)).as("timed out").isNull();
        assertThat(bag.waiting()).isEqualTo(2);
        assertThat(bag.queued()).as("its node is left in place, not searched for").isEqualTo(3);
        bag.offer(a);
        bag.offer(b);
        assertThat(first.get(5, TimeUnit.SECONDS)).isSameAs(a);
        assertThat(third.get(5, TimeUnit.SECONDS)).isSameAs(b);
        assertThat(bag.queued()).isZero();
        assertThat(bag.waiting()).isZero();
    }

    @Test
    void abandonedNodesAreSweptBeforeTheyPileUp() throws Exception {
        ConnectionBag bag = bagOf(1);
        PooledConnection only = bag.poll(THREAD_A);
        CompletableFuture<PooledConnection> patient = waiter(bag, 10, LONG_WAIT);
        int quitters = 10 * ConnectionBag.SWEEP_AFTER;
        int mostQueued = 0;
        for (int i = 0; i < quitters; i++) {
            assertThat(bag.await(THREAD_B, System.nanoTime(), () -> { })).isNull();
            mostQueued = Math.max(mostQueued, bag.queued());
        }
        assertThat(mostQueued).as("one live waiter plus at most a sweep's worth of abandoned nodes")
                .isLessThanOrEqualTo(1 + ConnectionBag.SWEEP_AFTER);
        bag.offer(only);
        assertThat(patient.get(5, TimeUnit.SECONDS)).as("the live waiter behind them is still served").isSameAs(only);
    }

    @Test
    void aTimeoutRacingAHandOffNeverLosesTheEntry() throws Exception {
        ConnectionBag bag = bagOf(1);
        int served = 0;
        int timedOut = 0;
        for (int round = 0; round < 300; round++) {
            PooledConnection only = bag.poll(THREAD_A);
            assertThat(only).as("round %d starts with the entry idle", round).isNotNull();
            long waitNanos = TimeUnit.MICROSECONDS.toNanos(200 + ThreadLocalRandom.current().nextInt(400));
            CompletableFuture<PooledConnection> racer = waiter(bag, THREAD_B, waitNanos);
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(waitNanos + 200_000));
            bag.offer(only);
            PooledConnection got = racer.get(5, TimeUnit.SECONDS);
            if (got != null) {
                assertThat(got).isSameAs(only);
                assertThat(only.state()).isEqualTo(PooledConnection.IN_USE);
                served++;
                bag.offer(got);
            } else {
                timedOut++;
            }
            assertThat(bag.waiting()).isZero();
            assertThat(only.state()).as("round %d: back and idle, not handed to a waiter that left", round)
                    .isEqualTo(PooledConnection.IDLE);
        }
        assertThat(served + timedOut).isEqualTo(300);
    }

    @Test
    void anInterruptRacingAHandOffNeverLosesTheEntry() throws Exception {
        ConnectionBag bag = bagOf(1);
        for (int round = 0; round < 300; round++) {
            PooledConnection only = bag.poll(THREAD_A);
            assertThat(only).as("round %d starts with the entry idle", round).isNotNull();
            AtomicReference<Object> outcome = new AtomicReference<>();
            CountDownLatch finished = new CountDownLatch(1);
            Thread t = new Thread(() -> {
                try {
                    PooledConnection e = bag.await(THREAD_B, System.nanoTime() + LONG_WAIT, () -> { });
                    outcome.set(e);
                } catch (InterruptedException e) {
                    outcome.set(e);
                } catch (Exception e) {
                    outcome.set(e.toString());
                }
                finished.countDown();
            });
            t.start();
            while (bag.waiting() == 0) {
                Thread.onSpinWait();
            }
            if (ThreadLocalRandom.current().nextBoolean()) {
                t.interrupt();
                bag.offer(only);
            } else {
                bag.offer(only);
                t.interrupt();
            }
            assertThat(finished.await(5, TimeUnit.SECONDS)).isTrue();
            Object o = outcome.get();
            if (o instanceof PooledConnection got) {
                assertThat(got).as("round %d: handed over first, so kept", round).isSameAs(only);
                bag.offer(got);
            } else {
                assertThat(o).as("round %d", round).isInstanceOf(InterruptedException.class);
            }
            assertThat(bag.waiting()).isZero();
            assertThat(only.state()).as("round %d: back and idle", round).isEqualTo(PooledConnection.IDLE);
        }
    }

    @Test
    void anEntryHandedToAWaiterThatFailsOnItsWayInGoesBack() {
        ConnectionBag bag = bagOf(1);
        PooledConnection only = bag.poll(THREAD_A);
        assertThatThrownBy(() -> bag.await(THREAD_B, System.nanoTime() + LONG_WAIT, () -> {
            bag.offer(only); // handed to this very waiter, which then fails before it can take it
            throw new IllegalStateException("connect could not start");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(bag.waiting()).isZero();
        assertThat(bag.poll(THREAD_A)).as("the entry is idle again, not lost with the failed waiter").isSameAs(only);
    }
}
