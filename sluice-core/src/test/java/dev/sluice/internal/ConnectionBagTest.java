package dev.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
}
