package dev.sluice.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

/**
 * A bounded, closed-loop load over tenants: each caller thread picks a tenant, borrows, reads the
 * tenant's marker and checks it is the tenant it asked for, optionally holds the connection a
 * while, and returns it. Meanwhile a sampler counts the data source's sessions on the server every
 * 10 ms. After a warm-up, every borrow's acquire time is recorded with its tenant, so the report
 * can give any group of tenants its percentiles and each tenant its served count.
 */
final class TenantLoad {
    private static final long SAMPLE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    interface Borrow {
        Connection borrow(String tenant) throws SQLException;
    }

    /** How one caller picks the tenant of its next borrow (an index into the fixture's tenants). */
    interface TenantChoice {
        int next(ThreadLocalRandom random);
    }

    /** Always the same tenant. */
    static TenantChoice fixed(int tenant) {
        return random -> tenant;
    }

    /** Tenant of rank k (from 1) with probability proportional to 1/k^s: a few hot tenants and a long tail. */
    static TenantChoice zipf(int tenants, double s) {
        double[] cumulative = new double[tenants];
        double total = 0;
        for (int k = 1; k <= tenants; k++) {
            total += 1 / Math.pow(k, s);
            cumulative[k - 1] = total;
        }
        double sum = total;
        return random -> {
            int i = Arrays.binarySearch(cumulative, random.nextDouble() * sum);
            return Math.min(tenants - 1, i >= 0 ? i : -i - 1);
        };
    }

    /**
     * What to run.
     *
     * @param name      the data source's name: its PostgreSQL application name, which the sampler counts
     * @param callers   one caller thread per entry
     * @param tenants   how many tenants the fixture has (the choices' range)
     * @param warmup    run, not recorded
     * @param measure   recorded
     * @param hold      how long a borrower keeps the connection after its check (zero: return at once)
     * @param connects  physical connects so far (read at the start and end of the measured part), or null
     */
    record Spec(String name, List<TenantChoice> callers, int tenants, Duration warmup, Duration measure, Duration hold,
            LongSupplier connects) {
    }

    /**
     * What happened in the measured part.
     *
     * @param sessionSamples how many times the sampler counted the sessions (one every 10 ms when it keeps up)
     * @param connects       physical connects during the measured part, or -1 when not counted
     */
    record Result(Spec spec, long borrows, int mixUps, int maxSessions, long sessionSamples, long connects,
            Map<String, Integer> errors, long[] servedByTenant, int[] tenantOfBorrow, long[] acquireNanosOfBorrow) {

        /** The {@code q} quantile (0..1) of the acquire time of the borrows whose tenant matches. */
        long acquireQuantileNanos(IntPredicate tenants, double q) {
            long[] picked = new long[acquireNanosOfBorrow.length];
            int n = 0;
            for (int i = 0; i < acquireNanosOfBorrow.length; i++) {
                if (tenants.test(tenantOfBorrow[i])) {
                    picked[n++] = acquireNanosOfBorrow[i];
                }
            }
            if (n == 0) {
                return -1;
            }
            Arrays.sort(picked, 0, n);
            return picked[Math.min(n - 1, (int) Math.ceil(q * n) - 1)];
        }

        /** Jain's index over the served counts of the tenants that match: 1 when equal, 1/n when one took all. */
        double jain(IntPredicate tenants) {
            double sum = 0;
            double squares = 0;
            int n = 0;
            for (int t = 0; t < servedByTenant.length; t++) {
                if (tenants.test(t)) {
                    sum += servedByTenant[t];
                    squares += (double) servedByTenant[t] * servedByTenant[t];
                    n++;
                }
            }
            return squares == 0 ? 1 : sum * sum / (n * squares);
        }

        double borrowsPerSecond() {
            return borrows / (spec.measure().toNanos() / 1e9);
        }

        /** Physical connects per 1,000 borrows while warm. */
        double connectsPerThousand() {
            return connects < 0 || borrows == 0 ? -1 : connects * 1000.0 / borrows;
        }
    }

    /** One caller's record of its measured borrows: tenant and acquire time, in growing arrays. */
    private static final class Record {
        int[] tenants = new int[4096];
        long[] nanos = new long[4096];
        int n;

        void add(int tenant, long acquireNanos) {
            if (n == nanos.length) {
                tenants = Arrays.copyOf(tenants, n * 2);
                nanos = Arrays.copyOf(nanos, n * 2);
            }
            tenants[n] = tenant;
            nanos[n++] = acquireNanos;
        }
    }

    private TenantLoad() {
    }

    static Result run(TestDatabase db, Spec spec, Borrow borrow) throws Exception {
        AtomicInteger mixUps = new AtomicInteger();
        Map<String, Integer> errors = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger maxSessions = new AtomicInteger();
        long[] samples = new long[1];
        List<Record> records = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(spec.callers().size() + 1);
        long start = System.nanoTime();
        long measureFrom = start + spec.warmup().toNanos();
        long end = measureFrom + spec.measure().toNanos();
        long[] connectsAt = new long[2];
        try (Connection sampler = db.direct(); PreparedStatement count = sampler.prepareStatement(TenantFixtures.sessionQuery(db))) {
            TenantFixtures.bindSessionQuery(db, count, spec.name());
            Future<?> sampling = threads.submit(() -> {
                long next = System.nanoTime();
                while (running.get()) {
                    try (ResultSet r = count.executeQuery()) {
                        r.next();
                        maxSessions.accumulateAndGet(r.getInt(1), Math::max);
                        samples[0]++;
                    }
                    next += SAMPLE_EVERY_NANOS;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    } else {
                        next = System.nanoTime(); // fell behind: sample as often as it can, do not burst
                    }
                }
                return null;
            });
            List<Future<?>> callers = new ArrayList<>();
            for (TenantChoice choice : spec.callers()) {
                Record record = new Record();
                records.add(record);
                callers.add(threads.submit(() -> {
                    call(spec, borrow, choice, record, measureFrom, end, mixUps, errors);
                    return null;
                }));
            }
            if (spec.connects() != null) {
                LockSupport.parkNanos(measureFrom - System.nanoTime());
                connectsAt[0] = spec.connects().getAsLong();
            }
            for (Future<?> f : callers) {
                f.get(spec.warmup().plus(spec.measure()).toSeconds() + 60, TimeUnit.SECONDS);
            }
            if (spec.connects() != null) {
                connectsAt[1] = spec.connects().getAsLong();
            }
            running.set(false);
            sampling.get(10, TimeUnit.SECONDS);
        } finally {
            running.set(false);
            threads.shutdownNow();
        }
        int total = records.stream().mapToInt(r -> r.n).sum();
        int[] tenantOf = new int[total];
        long[] nanosOf = new long[total];
        long[] served = new long[spec.tenants()];
        int at = 0;
        for (Record r : records) {
            System.arraycopy(r.tenants, 0, tenantOf, at, r.n);
            System.arraycopy(r.nanos, 0, nanosOf, at, r.n);
            at += r.n;
            for (int i = 0; i < r.n; i++) {
                served[r.tenants[i]]++;
            }
        }
        return new Result(spec, total, mixUps.get(), maxSessions.get(), samples[0],
                spec.connects() == null ? -1 : connectsAt[1] - connectsAt[0], new TreeMap<>(errors), served, tenantOf, nanosOf);
    }

    private static void call(Spec spec, Borrow borrow, TenantChoice choice, Record record, long measureFrom, long end,
            AtomicInteger mixUps, Map<String, Integer> errors) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long holdNanos = spec.hold().toNanos();
        for (long now = System.nanoTime(); now - end < 0; now = System.nanoTime()) {
            int tenant = choice.next(random);
            String t = TenantFixtures.tenant(tenant);
            long t0 = System.nanoTime();
            try (Connection c = borrow.borrow(t)) {
                long acquired = System.nanoTime() - t0;
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT tenant FROM marker")) {
                    if (!r.next() || !t.equals(r.getString(1))) {
                        mixUps.incrementAndGet();
                    }
                }
                if (holdNanos > 0) {
                    LockSupport.parkNanos(holdNanos);
                }
                if (t0 - measureFrom >= 0) {
                    record.add(tenant, acquired);
                }
            } catch (SQLException e) {
                errors.merge(e.getSQLState() + " " + e.getMessage(), 1, Integer::sum);
            }
        }
    }
}
