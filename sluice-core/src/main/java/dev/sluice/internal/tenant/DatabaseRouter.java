package dev.sluice.internal.tenant;

import dev.sluice.FailureReason;
import dev.sluice.PoolStats;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceFailure;
import dev.sluice.TenantMode;
import dev.sluice.TenantStats;
import dev.sluice.internal.BorrowClaim;
import dev.sluice.internal.Pool;
import dev.sluice.internal.PoolShare;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * DATABASE mode: a pool per tenant, made from the template with the tenant's URL on the tenant's
 * first borrow, each with its own circuit breaker (a dead tenant database fails its own callers
 * fast and costs the others nothing), all opening connections only with a permit from one
 * {@link GlobalBudget}. Tenant pools keep no minimum but a reserved tenant's reserve: an idle
 * tenant's pool shrinks by the template's idleTimeout, and after {@code tenantIdleTimeout} without
 * a borrow it is closed and forgotten (a reserve stays kept in the budget).
 */
public final class DatabaseRouter implements TenantRouter {
    /**
     * Threads for the timed tasks of all tenant pools (housekeeping, lifetimes, probes, health
     * samples). Two, so one tenant's housekeeper blocked on a dead network (validation is bounded
     * by validationTimeout) does not hold up everyone else's.
     */
    private static final int TIMER_THREADS = 2;
    private final SluiceConfig template;
    private final Function<String, String> tenantUrl;
    private final IdCheck idCheck;
    private final String name;
    private final long idleNanos;
    private final GlobalBudget budget;
    private final Map<String, Integer> reserves;
    private final Map<String, Integer> weights;
    /** Borrows of each tenant's closed pools, so its count goes on when its pool is opened again. */
    private final ConcurrentHashMap<String, Long> borrowsOfClosedPools = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, TenantPool> pools = new ConcurrentHashMap<>();
    /**
     * The pool while only one tenant has one, else null: that tenant's borrows skip the map lookup,
     * whose chain of dependent reads is most of what routing costs on a do-nothing driver. Written
     * only when a pool is made or dropped, so tenants with pools of their own never contend on it.
     */
    private volatile TenantPool solo;
    /** Every tenant pool's timed tasks, and the sweeper: a few threads, however many tenants. */
    private final ScheduledThreadPoolExecutor timers;
    private volatile boolean closed;

    /**
     * @param template        a tenant pool's configuration but its URL and name: maximumPoolSize is the
     *                        per-tenant limit, minimumIdle 0, and no start-up check
     * @param tenantIdleTimeout how long a tenant's pool lives without a borrow
     */
    public DatabaseRouter(SluiceConfig template, Function<String, String> tenantUrl, IdCheck idCheck, int globalMaximumPoolSize,
            Duration tenantIdleTimeout, Map<String, Integer> reserves, Map<String, Integer> weights) {
        this.template = template;
        this.tenantUrl = tenantUrl;
        this.idCheck = idCheck;
        this.name = template.poolName();
        this.idleNanos = tenantIdleTimeout.toNanos();
        this.reserves = Map.copyOf(reserves);
        this.weights = Map.copyOf(weights);
        Map<String, Integer> byPoolName = new HashMap<>();
        reserves.forEach((tenant, n) -> byPoolName.put(poolName(tenant), n));
        Map<String, Integer> weightByPoolName = new HashMap<>();
        weights.forEach((tenant, w) -> weightByPoolName.put(poolName(tenant), w));
        this.budget = new GlobalBudget(globalMaximumPoolSize, name, this::openPools, byPoolName, weightByPoolName);
        AtomicInteger threadCount = new AtomicInteger();
        this.timers = new ScheduledThreadPoolExecutor(TIMER_THREADS, r -> {
            Thread t = new Thread(r, name + "-tenants-" + threadCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        timers.setRemoveOnCancelPolicy(true);
        long every = Math.max(TimeUnit.MILLISECONDS.toNanos(50), Math.min(idleNanos / 4, TimeUnit.SECONDS.toNanos(10)));
        timers.scheduleWithFixedDelay(this::closeIdleTenants, every, every, TimeUnit.NANOSECONDS);
    }

    /**
     * A tenant's pool as the router keeps it. A borrow does nothing for the sweeper's sake: the
     * sweeper judges idleness by the pool's own borrow count standing still, and closes the pool
     * only through {@link Pool#retireIfUnused()}, which a borrow racing it cannot slip through.
     */
    private static final class TenantPool {
        final String tenant;
        final PoolShare share;
        final Pool pool;
        /**
         * Set before the router closes this pool of its own accord (idle, or its database gone), so a
         * borrow that failed because it found the pool closed looks up the tenant's pool again.
         */
        volatile boolean dropped;
        /** The sweeper's alone (its runs are ordered): the borrow count it last saw, and since when it stood still. */
        long borrowsSeen;
        long quietSinceNanos = System.nanoTime();

        TenantPool(String tenant, PoolShare share) {
            this.tenant = tenant;
            this.share = share;
            this.pool = share.pool();
        }

        boolean isFor(String id) {
            return tenant == id || tenant.equals(id);
        }

        /** Whether no borrow was counted for {@code idleNanos}, as of this sweep. */
        boolean quietFor(long idleNanos, long now) {
            long borrows = share.borrows();
            if (borrows != borrowsSeen) {
                borrowsSeen = borrows;
                quietSinceNanos = now;
                return false;
            }
            return now - quietSinceNanos >= idleNanos;
        }
    }

    private Collection<PoolShare> openPools() {
        Collection<PoolShare> all = new ArrayList<>(pools.size());
        for (TenantPool tp : pools.values()) {
            all.add(tp.share);
        }
        return all;
    }

    @Override
    public Connection borrow(String tenant, long timeoutNanos, boolean scoped, long scopeLeftNanos) throws SQLException {
        // Small enough for the JIT to inline into the caller, and no loop; the pool is called from here
        // however it was found, so leak detection's stack walk meets the same frames either way.
        TenantPool tp = solo;
        if (tp == null || tp.dropped || !tp.isFor(tenant) || closed) {
            tp = openPoolOf(tenant);
        }
        try {
            // Without a scoped Deadline and with the pool's own timeout, the pool's untimed fast path serves it,
            // called by its claim-taking overload: a frame less for leak detection's stack walk.
            return !scoped && timeoutNanos == tp.pool.connectionTimeoutNanos() ? tp.pool.acquire((BorrowClaim) null)
                    : tp.pool.acquire(timeoutNanos, scoped, scopeLeftNanos);
        } catch (SQLException e) {
            failed(tenant, tp, e);
            return borrowAfterDrop(tenant, timeoutNanos, scoped, scopeLeftNanos);
        }
    }

    /**
     * The borrow again, after the router closed the pool it found a moment ago (idle, or its
     * database gone): rare, so the frame it adds to leak detection's walk is no concern.
     */
    private Connection borrowAfterDrop(String tenant, long timeoutNanos, boolean scoped, long scopeLeftNanos) throws SQLException {
        for (;;) {
            TenantPool tp = openPoolOf(tenant);
            try {
                return !scoped && timeoutNanos == tp.pool.connectionTimeoutNanos() ? tp.pool.acquire((BorrowClaim) null)
                        : tp.pool.acquire(timeoutNanos, scoped, scopeLeftNanos);
            } catch (SQLException e) {
                failed(tenant, tp, e);
            }
        }
    }

    /** The tenant's pool from the map, made on its first borrow, unless the router is closed. */
    private TenantPool openPoolOf(String tenant) throws SQLException {
        if (closed) {
            throw SluiceFailure.of(FailureReason.POOL_CLOSED, name, name + " is closed", null);
        }
        TenantPool tp = poolOf(tenant);
        if (closed) { // made by this borrow while close() went through the map
            forget(tenant, tp);
            throw SluiceFailure.of(FailureReason.POOL_CLOSED, name, name + " is closed", null);
        }
        return tp;
    }

    /**
     * After a tenant pool failed a borrow: returns when the borrow should look up the tenant's pool
     * again (the router closed this one a moment ago), else throws what the caller gets.
     */
    private void failed(String tenant, TenantPool tp, SQLException e) throws SQLException {
        FailureReason reason = SluiceFailure.reasonOf(e).orElse(null);
        if (reason == FailureReason.POOL_CLOSED && tp.dropped && !closed) {
            return; // the next look makes a new one
        }
        if (reason == null || reason.isTransient()) {
            throw e;
        }
        // A database that does not exist (or rejects us) is not kept: the next borrow looks again.
        forget(tenant, tp);
        if (missingDatabase(e)) {
            throw SluiceFailure.of(FailureReason.UNKNOWN_TENANT, name, name + ": tenant '" + tenant
                    + "' has no database (" + e.getMessage() + ")", e);
        }
        throw e;
    }

    private TenantPool poolOf(String tenant) throws SQLException {
        if (tenant == null) {
            idCheck.check(null);
        }
        TenantPool tp = pools.get(tenant);
        if (tp != null) {
            return tp; // its id was checked when its pool was made
        }
        idCheck.check(tenant);
        SluiceConfig config = configFor(tenant);
        TenantPool made;
        try {
            // One tenant pool per tenant, even when its first callers come together. The pool's
            // constructor does not connect (no start-up check), so the map is not held on I/O.
            made = pools.computeIfAbsent(tenant, t -> {
                try {
                    return new TenantPool(tenant, PoolShare.start(config, tenant, budget, timers));
                } catch (SQLException e) {
                    throw new PoolNotStarted(e);
                }
            });
        } catch (PoolNotStarted e) {
            throw e.failure;
        }
        electSolo();
        return made;
    }

    /**
     * Sets {@link #solo} after the map changed. Serialized, so the last to run saw the latest map;
     * a borrow that still meets a dropped solo pool sees its {@code dropped} flag and looks it up.
     */
    private synchronized void electSolo() {
        TenantPool only = null;
        for (TenantPool tp : pools.values()) {
            if (only != null) {
                only = null;
                break;
            }
            only = tp;
        }
        solo = only;
    }

    /** Carries a tenant pool's start failure out of computeIfAbsent. */
    private static final class PoolNotStarted extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient SQLException failure;

        PoolNotStarted(SQLException failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }

    private SluiceConfig configFor(String tenant) throws SQLException {
        String url;
        try {
            url = tenantUrl.apply(tenant);
        } catch (RuntimeException e) {
            throw SluiceFailure.of(FailureReason.INVALID_CONFIG, name, name + ": tenantUrl failed for tenant '" + tenant + "': " + e, e);
        }
        if (url == null || url.isBlank()) {
            throw SluiceFailure.of(FailureReason.INVALID_CONFIG, name, name + ": tenantUrl gave no URL for tenant '" + tenant + "'", null);
        }
        try {
            // A reserved tenant's pool keeps its reserve warm against the template's idleTimeout.
            return template.toBuilder().jdbcUrl(url).poolName(poolName(tenant)).minimumIdle(reserves.getOrDefault(tenant, 0)).build();
        } catch (IllegalArgumentException e) {
            throw SluiceFailure.of(FailureReason.INVALID_CONFIG, name, name + ": tenant '" + tenant + "': " + e.getMessage(), e);
        }
    }

    private String poolName(String tenant) {
        return name + "-" + tenant;
    }

    /** PostgreSQL 3D000 "database does not exist", MariaDB/MySQL 1049 "unknown database", H2 90146, anywhere in the chain. */
    private static boolean missingDatabase(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException s && ("3D000".equals(s.getSQLState()) || s.getErrorCode() == 1049 || s.getErrorCode() == 90146)) {
                return true;
            }
        }
        return false;
    }

    private void forget(String tenant, TenantPool tp) {
        tp.dropped = true;
        if (pools.remove(tenant, tp)) {
            electSolo();
            tp.pool.closeDropped();
            keepBorrows(tenant, tp);
        }
    }

    /**
     * On the sweeper: closes the pools of tenants with no borrow for tenantIdleTimeout and nothing
     * borrowed. A borrow that meets the closing pool is retried by {@link #borrow} on a new one.
     */
    private void closeIdleTenants() {
        long now = System.nanoTime();
        for (Map.Entry<String, TenantPool> e : pools.entrySet()) {
            TenantPool tp = e.getValue();
            if (!tp.quietFor(idleNanos, now) || !tp.pool.retireIfUnused()) {
                continue;
            }
            // Nothing is handed out now; look again, since a whole borrow may have fitted in since quietFor.
            if (tp.share.borrows() != tp.borrowsSeen) {
                tp.pool.keepRunning();
                continue;
            }
            forget(e.getKey(), tp);
        }
    }

    /**
     * After the pool left the map, so a snapshot taken in between undercounts for a moment
     * rather than counting these borrows twice: a reader that keeps the highest count it saw
     * (a metrics binder) then never counts a borrow twice.
     */
    private void keepBorrows(String tenant, TenantPool tp) {
        borrowsOfClosedPools.merge(tenant, tp.share.borrows(), Long::sum);
    }

    @Override
    public TenantStats stats() {
        Map<String, PoolStats> each = new HashMap<>();
        Map<String, TenantStats.Usage> tenants = new HashMap<>();
        int inUse = 0;
        int idle = 0;
        int waiting = 0;
        for (Map.Entry<String, TenantPool> e : pools.entrySet()) {
            String tenant = e.getKey();
            PoolStats s = e.getValue().pool.stats();
            each.put(tenant, s);
            inUse += s.inUse();
            idle += s.idle();
            waiting += s.pending();
            long borrows = s.acquired() + borrowsOfClosedPools.getOrDefault(tenant, 0L);
            tenants.put(tenant, new TenantStats.Usage(s.inUse(), s.idle(), s.pending(), borrows,
                    reserves.getOrDefault(tenant, 0), weights.getOrDefault(tenant, 1)));
        }
        for (String tenant : configuredOrClosed()) {
            tenants.computeIfAbsent(tenant, t -> new TenantStats.Usage(0, 0, 0, borrowsOfClosedPools.getOrDefault(t, 0L),
                    reserves.getOrDefault(t, 0), weights.getOrDefault(t, 1)));
        }
        GlobalBudget.Counters counted = budget.counters();
        return new TenantStats(TenantMode.DATABASE, budget.maximum(), budget.used(), inUse, idle, waiting,
                TenantRouter.inUseByTenant(tenants), each, null, tenants, counted.refusals(), counted.idleEvictions(),
                counted.returnEvictions());
    }

    /** Tenants with a reserve or a weight, or whose pool was closed: known to the budget even without an open pool. */
    private Collection<String> configuredOrClosed() {
        Collection<String> all = new ArrayList<>(reserves.keySet());
        all.addAll(weights.keySet());
        all.addAll(borrowsOfClosedPools.keySet());
        return all;
    }

    /** Permits out now, for tests that check the budget while load runs. */
    public int budgetUsed() {
        return budget.used();
    }

    @Override
    public void close() {
        closed = true; // a pool made by a borrow racing with the loop below is closed by that borrow
        solo = null;
        for (String tenant : pools.keySet()) {
            TenantPool tp = pools.remove(tenant);
            if (tp != null) {
                tp.pool.close();
                keepBorrows(tenant, tp);
            }
        }
        timers.shutdownNow();
        budget.close();
    }
}
