package dev.sluice.console;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows guessing: after {@link #LIMIT} failed credential checks within a minute from one address,
 * that address gets 429 until the oldest failure is a minute old. The address is the socket's
 * peer, never a header (X-Forwarded-For is the client's to forge). Behind a reverse proxy every
 * operator shares the proxy's address; that makes the limit stricter, never looser.
 *
 * <p>Bounded: at most {@link #MAX_ADDRESSES} addresses are tracked, the least recently failed
 * forgotten first, so a flood of spoofed sources cannot grow the heap.
 */
final class LoginThrottle {
    static final int LIMIT = 5;
    static final long WINDOW_NANOS = 60_000_000_000L;
    static final int MAX_ADDRESSES = 10_000;

    private final LongSupplier clock;
    private final Map<InetAddress, Deque<Long>> failures = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Deque<Long>> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    LoginThrottle(LongSupplier clock) {
        this.clock = clock;
    }

    synchronized boolean blocked(InetAddress address) {
        Deque<Long> times = failures.get(address);
        if (times == null) {
            return false;
        }
        expire(times, clock.getAsLong());
        if (times.isEmpty()) {
            failures.remove(address);
            return false;
        }
        return times.size() >= LIMIT;
    }

    synchronized void failed(InetAddress address) {
        long now = clock.getAsLong();
        Deque<Long> times = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        expire(times, now);
        times.addLast(now);
        while (times.size() > LIMIT) {
            times.removeFirst();
        }
    }

    private static void expire(Deque<Long> times, long now) {
        for (Iterator<Long> it = times.iterator(); it.hasNext();) {
            if (now - it.next() >= WINDOW_NANOS) {
                it.remove();
            } else {
                break;
            }
        }
    }
}
