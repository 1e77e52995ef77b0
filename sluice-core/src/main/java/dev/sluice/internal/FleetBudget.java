package dev.sluice.internal;

import dev.sluice.SizingDecision;
import dev.sluice.SizingDecision.Action;
import dev.sluice.SluiceConfig;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fleet member's connection budget: the pool connects only with a permit from here, and the
 * permits it may hold (its grant) move with its fair share of the fleet's budget. The fleet has
 * no coordinator but the database (PostgreSQL):
 *
 * <ul>
 * <li>Every pooled connection is named {@code sluice:<fleet>:<instance>}, so pg_stat_activity
 * shows each instance's connections and how many are busy.</li>
 * <li>Each instance keeps one control connection, named {@code sluice:<fleet>:<instance>:<claim>:<want>}:
 * it publishes how many connections the instance claims (the control connection included, the
 * most it may hold) and how many it wants (its recent peak of borrowed plus waiting, times the
 * sizing headroom). Until it is admitted it is named {@code sluice-join:<fleet>:<instance>:0:<want>},
 * outside the fleet's count, so joining never takes a connection the fleet has not got.</li>
 * <li>Every {@code fleetInterval} an instance, inside a transaction holding
 * {@code pg_try_advisory_xact_lock} on the fleet's key, reads the fleet from pg_stat_activity,
 * computes every member's max-min fair share of the budget by their wants ({@link FleetShares}),
 * and claims its own share, but never more than the budget less what the others hold, each
 * counted as the larger of its claim and the connections the server shows for it. The new claim
 * is published before the lock is released and the grant is raised only after, so the next
 * instance to decide sees it. Growth decisions are thus serialized and each grows only into
 * room the server shows free: the sum over the fleet of max(claim, connections) never exceeds
 * the budget, and connections never exceed that sum.</li>
 * <li>Shrinking needs no lock: the grant is lowered first (no new permits), idle connections over
 * it are closed and borrowed ones marked to close on return, and the claim published is the
 * larger of the new grant and the permits still held, which fall only as connections close.</li>
 * </ul>
 *
 * On other databases the pool keeps to a static share: the budget (or maximumPoolSize) divided
 * by sizingInstances.
 */
final class FleetBudget implements ConnectionBudget {
    private static final System.Logger LOG = System.getLogger("dev.sluice.Pool");
    /**
     * Ticks a peak is remembered: a lull this long (at the default interval, 1 s) before the want
     * falls. Longer would hold connections an idle instance no longer needs while a busy one waits.
     */
    private static final int PEAK_TICKS = 2;
    /** The control connection's query timeout; a slow database delays a fleet decision, never a borrower. */
    private static final int QUERY_TIMEOUT_SECONDS = 2;
    /** The first half of the advisory lock key, so a fleet's lock does not collide with an application's one-key locks. */
    private static final int LOCK_CLASS = 0x51ce;
    /** An early look waits this long, so the waiters arriving together are counted in one want. */
    private static final long EARLY_LOOK_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long EARLY_LOOK_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Pool pool;
    private final String fleet;
    private final String instance;
    private final String prefix;
    private final String joinPrefix;
    private final int fixedBudget;
    private final int maxPool;
    private final double headroom;
    private final String name;

    /** Guards held, granted and denied: a permit and a change of grant never interleave. */
    private final Object permits = new Object();
    private int held;
    private int granted;
    private boolean denied;
    /** An early look is scheduled; at most one at a time. */
    private boolean earlyLookDue;
    /** When the last look began, on the pool's clock. */
    private volatile long lastLookNanos;
    /** One look at a time: the periodic and the early ones may run on different timer threads. */
    private final ReentrantLock looking = new ReentrantLock();

    /** Only the fleet's timer task touches these. */
    private Connection control;
    private boolean postgres = true;
    private boolean admitted;
    private int claim;
    private final int[] peaks = new int[PEAK_TICKS];
    private int nextPeak;
    private volatile String view = "not yet admitted";
    private static final int DECISIONS_KEPT = 50;
    /** The last moves of the ceiling, for stats; guarded by itself. */
    private final ArrayDeque<SizingDecision> decisions = new ArrayDeque<>();
    private String lastLogged = "";

    FleetBudget(Pool pool, SluiceConfig config) {
        this.pool = pool;
        this.fleet = config.fleet();
        this.instance = config.fleetInstance() != null ? config.fleetInstance() : defaultInstance();
        this.prefix = "sluice:" + fleet + ":";
        this.joinPrefix = "sluice-join:" + fleet + ":";
        this.fixedBudget = config.fleetBudget();
        this.maxPool = config.maximumPoolSize();
        this.headroom = config.sizingHeadroom();
        this.name = config.poolName();
    }

    /** The host name and process id, in the id alphabet, at most 20 characters (the pid kept whole). */
    static String defaultInstance() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception | LinkageError unknown) {
            host = "host";
        }
        return instanceId(host, ProcessHandle.current().pid());
    }

    static String instanceId(String host, long pid) {
        String p = "-" + pid;
        StringBuilder b = new StringBuilder();
        for (char c : host.toCharArray()) {
            if (c == '.') {
                break; // the short host name: domains only make ids long
            }
            b.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-') ? c : '_');
        }
        String h = b.length() == 0 ? "host" : b.toString();
        return h.substring(0, Math.max(0, Math.min(h.length(), 20 - p.length()))) + p;
    }

    String applicationName() {
        return prefix + instance;
    }

    String instance() {
        return instance;
    }

    // ---------------------------------------------------------------- permits

    @Override
    public boolean tryTake(PoolShare share) {
        synchronized (permits) {
            if (held < granted) {
                held++;
                return true;
            }
            denied = true;
            if (!earlyLookDue) {
                // Callers wait and the grant is used up: look at the fleet now rather than at the next interval,
                // so the want is published and any room taken at once (the look itself never runs on a caller's thread).
                // At most one every EARLY_LOOK_GAP: a fleet with no room must not be asked on every denied connect.
                long delay = Math.max(EARLY_LOOK_DELAY_NANOS, lastLookNanos + EARLY_LOOK_GAP_NANOS - pool.ticker.read());
                earlyLookDue = pool.scheduler.tryOnce(this::earlyLook, delay);
            }
            return false;
        }
    }

    private void earlyLook() {
        synchronized (permits) {
            earlyLookDue = false;
        }
        look(false);
    }

    @Override
    public void release(PoolShare share) {
        boolean retry;
        synchronized (permits) {
            held--;
            retry = denied && held < granted;
            denied = false;
        }
        if (retry) {
            pool.scheduler.tryOnce(() -> pool.supply.fill(), 0);
        }
    }

    int held() {
        synchronized (permits) {
            return held;
        }
    }

    int granted() {
        synchronized (permits) {
            return granted;
        }
    }

    /** The fleet as this instance last saw it, for stats and logs. */
    String view() {
        return view;
    }

    // ---------------------------------------------------------------- the fleet's timer

    /**
     * Opens the control connection and takes a first share, before the pool's first connect; a
     * connect failure is the pool's start-up failure.
     */
    void start() throws SQLException {
        openControl();
        tick();
    }


    private void openControl() throws SQLException {
        Connection c = pool.connector().connect(pool.connectionTimeoutNanos / 1_000_000, joinPrefix + instance + ":0:1");
        try {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            postgres = product.contains("postgres");
            if (!postgres) {
                c.close();
                staticShare(product);
                return;
            }
            c.setAutoCommit(false);
            control = c;
        } catch (SQLException | RuntimeException e) {
            ConnectAttempts.closeQuietly(c);
            throw e;
        }
    }

    private void staticShare(String product) {
        int budget = fixedBudget > 0 ? fixedBudget : maxPool;
        int share = Math.max(1, budget / pool.config.sizingInstances());
        setGrant(share);
        view = "fleet " + fleet + " not coordinated on " + product + ": static share " + share + " = " + budget + " / sizingInstances "
                + pool.config.sizingInstances();
        LOG.log(Level.WARNING, name + ": " + view);
    }

    /** One look at the fleet; on the pool's timer, never on a borrower's thread. */
    void tick() {
        look(true);
    }

    /** @param periodic a look of the interval, which also advances the peak's memory; an early one only raises the peak */
    private void look(boolean periodic) {
        if (!looking.tryLock()) {
            return;
        }
        try {
            lastLookNanos = pool.ticker.read();
            int wantNow = pool.bag.inUse() + pool.bag.waiting();
            if (periodic) {
                nextPeak = (nextPeak + 1) % peaks.length;
                peaks[nextPeak] = wantNow;
            } else {
                peaks[nextPeak] = Math.max(peaks[nextPeak], wantNow);
            }
            if (postgres && !pool.isClosed()) {
                lookAtTheFleet();
            }
        } finally {
            looking.unlock();
        }
    }

    private void lookAtTheFleet() {
        try {
            if (control == null || control.isClosed()) {
                admitted = false;
                openControl();
                if (control == null) {
                    return;
                }
            }
            decide();
        } catch (SQLException | RuntimeException e) {
            // Without its control connection the claim is gone from the server: the others count only the
            // connections they see, so the pool opens none until it has joined again.
            setGrant(0);
            if (pool.isClosed()) {
                return;
            }
            LOG.log(Level.WARNING, () -> name + ": fleet " + fleet + " look failed; no new connections until the control"
                    + " connection is back (" + held() + " open): " + e);
            ConnectAttempts.closeQuietly(control);
            control = null;
            admitted = false;
        }
    }

    /** Recent peak of borrowed plus waiting, with the headroom, bounded by maximumPoolSize, plus the control connection. */
    private int want() {
        int peak = 0;
        for (int p : peaks) {
            peak = Math.max(peak, p);
        }
        int pooled = Math.max(1, Math.min(maxPool, (int) Math.ceil(peak * headroom)));
        return pooled + 1;
    }

    private record Member(String id, int connections, int busy, int claim, int want, boolean joining) {
    }

    private void decide() throws SQLException {
        int want = want();
        boolean locked;
        try (PreparedStatement st = control.prepareStatement("select pg_try_advisory_xact_lock(?, ?)")) {
            st.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            st.setInt(1, LOCK_CLASS);
            st.setInt(2, fleet.hashCode());
            try (ResultSet rs = st.executeQuery()) {
                locked = rs.next() && rs.getBoolean(1);
            }
        }
        try {
            Map<String, int[]> seen = new TreeMap<>();
            Map<String, int[]> published = new TreeMap<>();
            Map<String, Boolean> joining = new TreeMap<>();
            try (PreparedStatement st = control.prepareStatement("select application_name, count(*),"
                    + " count(*) filter (where state is distinct from 'idle') from pg_stat_activity"
                    + " where left(application_name, ?) = ? or left(application_name, ?) = ? group by 1")) {
                st.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                st.setInt(1, prefix.length());
                st.setString(2, prefix);
                st.setInt(3, joinPrefix.length());
                st.setString(4, joinPrefix);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        String app = rs.getString(1);
                        boolean join = app.startsWith(joinPrefix);
                        String[] parts = app.substring(join ? joinPrefix.length() : prefix.length()).split(":");
                        String id = parts[0];
                        if (!join) {
                            int[] s = seen.computeIfAbsent(id, k -> new int[2]);
                            s[0] += rs.getInt(2);
                            s[1] += rs.getInt(3);
                        }
                        if (parts.length == 3) {
                            try {
                                published.put(id, new int[] {Integer.parseInt(parts[1]), Integer.parseInt(parts[2])});
                                joining.put(id, join);
                            } catch (NumberFormatException notOurs) {
                                // a name that only looks like a control connection's: its connections still count
                            }
                        }
                    }
                }
            }
            int budget = fixedBudget > 0 ? fixedBudget : derivedBudget();
            List<Member> members = new ArrayList<>();
            Set<String> ids = new TreeSet<>(seen.keySet());
            ids.addAll(published.keySet());
            ids.add(instance);
            for (String id : ids) {
                int[] s = seen.getOrDefault(id, new int[2]);
                int[] p = published.get(id);
                boolean me = id.equals(instance);
                members.add(new Member(id, s[0], s[1], me ? claim : p == null ? 0 : p[0], me ? want : p == null ? s[0] : p[1],
                        me ? !admitted : Boolean.TRUE.equals(joining.get(id))));
            }
            members.sort(Comparator.comparing(Member::id));
            int n = members.size();
            String[] idArr = new String[n];
            int[] wants = new int[n];
            int[] floors = new int[n];
            double[] weights = new double[n];
            int mine = -1;
            int othersHeld = 0;
            int busyTotal = 0;
            for (int i = 0; i < n; i++) {
                Member m = members.get(i);
                idArr[i] = m.id();
                wants[i] = Math.max(2, m.want());
                floors[i] = 2;
                weights[i] = 1.0;
                busyTotal += m.busy();
                if (m.id().equals(instance)) {
                    mine = i;
                } else {
                    // A member still joining has no claim, but one rejoining may have pooled connections open.
                    othersHeld += m.joining() ? m.connections() : Math.max(m.claim(), m.connections());
                }
            }
            int fair = FleetShares.allocate(budget, idArr, wants, floors, weights)[mine];
            int room = budget - othersHeld;
            int target = Math.min(fair, room);
            int before = claim;
            String why;
            if (!admitted) {
                if (!locked || room < 2) {
                    publish(0, want, true);
                    control.commit();
                    view(members, budget, fair, busyTotal, locked ? "waiting to join: " + room + " free" : "waiting for the fleet lock to join");
                    return;
                }
                // A member rejoining after its control connection was lost may still hold more than its share now.
                int newGrant = Math.max(1, target - 1);
                if (newGrant < granted()) {
                    setGrant(newGrant);
                }
                shedSurplus(newGrant);
                claim = Math.max(newGrant, held()) + 1;
                publish(claim, want, false);
                control.commit();
                admitted = true;
                setGrant(newGrant);
                why = "joined";
            } else if (target < claim) {
                // Lower the grant first: the claim published must cover every permit still held.
                int newGrant = Math.max(1, target - 1);
                setGrant(newGrant);
                shedSurplus(newGrant);
                claim = Math.max(newGrant, held()) + 1;
                publish(claim, want, false);
                control.commit();
                why = fair < before ? "fair share fell to " + fair : "room fell to " + room;
            } else if (target > claim && locked) {
                claim = target;
                publish(claim, want, false);
                control.commit();
                setGrant(claim - 1);
                why = "fair share " + fair + ", room " + room;
            } else {
                int shown = Math.max(granted(), held()) + 1;
                claim = Math.max(Math.min(claim, shown), 2);
                publish(claim, want, false);
                control.commit();
                why = null;
            }
            view(members, budget, fair, busyTotal, why == null ? "holding" : why);
            if (why != null && claim != before) {
                // Reported as a sizing decision, so listeners, the log and Flight Recorder show why the ceiling moved.
                SizingDecision d = new SizingDecision(Instant.now(), claim > before ? Action.GROW : Action.SHRINK, Math.max(0, before - 1),
                        claim - 1, true, 0, 0, 0, pool.bag.waiting(), fair - 1, why + "; " + view);
                synchronized (decisions) {
                    if (decisions.size() == DECISIONS_KEPT) {
                        decisions.removeFirst();
                    }
                    decisions.addLast(d);
                }
                pool.events.sizing(d);
            }
        } finally {
            if (!control.getAutoCommit()) {
                control.rollback(); // ends the transaction and the lock if a step failed before its commit
            }
        }
    }

    private void publish(int claimed, int want, boolean join) throws SQLException {
        String app = (join ? joinPrefix : prefix) + instance + ":" + claimed + ":" + want;
        try (PreparedStatement st = control.prepareStatement("select set_config('application_name', ?, false)")) {
            st.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            st.setString(1, app);
            st.executeQuery().close();
        }
    }

    private void view(List<Member> members, int budget, int fair, int busy, String state) {
        long live = members.stream().filter(m -> !m.joining() || m.id().equals(instance)).count();
        view = String.format(Locale.ROOT, "fleet %s instance %s: %d instances, budget %d, %d busy, fair share %d, claim %d, grant %d,"
                + " held %d (%s)", fleet, instance, live, budget, busy, fair, claim, granted(), held(), state);
        if (!view.equals(lastLogged) && LOG.isLoggable(Level.DEBUG)) {
            lastLogged = view;
            LOG.log(Level.DEBUG, name + ": " + view);
        }
    }

    private void setGrant(int g) {
        boolean more;
        synchronized (permits) {
            more = g > granted;
            granted = g;
        }
        if (more) {
            pool.supply.fill();
        }
    }

    /**
     * Closes idle connections over the grant; the rest over it are borrowed and close when
     * returned. Connections already marked are not marked twice.
     */
    private void shedSurplus(int grant) {
        int surplus = held() - grant;
        while (surplus > 0 && pool.closer.evictLeastRecentlyUsedIdle()) {
            surplus--;
        }
        for (PooledConnection e : pool.bag.snapshot()) {
            if (surplus <= 0) {
                break;
            }
            if (e.state() == PooledConnection.IN_USE && e.retireOnReturn != null) {
                surplus--;
            }
        }
        while (surplus > 0 && pool.share.evictOneOnReturn()) {
            surplus--;
        }
    }

    /**
     * The server's room for the fleet: max_connections less the reserved slots and every client
     * connection that is not the fleet's, bounded by the role's and the database's CONNECTION LIMIT
     * less their connections that are not the fleet's.
     */
    private int derivedBudget() throws SQLException {
        String notOurs = "(application_name is null or left(application_name, ?) <> ?)";
        String sql = "select current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int"
                + " - coalesce(nullif(current_setting('reserved_connections', true), '')::int, 0)"
                + " - (select count(*) from pg_stat_activity where backend_type = 'client backend' and " + notOurs + ")::int,"
                + " (select rolconnlimit from pg_roles where rolname = current_user),"
                + " (select count(*) from pg_stat_activity where usename = current_user and " + notOurs + ")::int,"
                + " (select datconnlimit from pg_database where datname = current_database()),"
                + " (select count(*) from pg_stat_activity where datname = current_database() and " + notOurs + ")::int";
        try (PreparedStatement st = control.prepareStatement(sql)) {
            st.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            for (int i = 0; i < 3; i++) {
                st.setInt(1 + 2 * i, prefix.length());
                st.setString(2 + 2 * i, prefix);
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                int b = rs.getInt(1);
                if (rs.getInt(2) >= 0) {
                    b = Math.min(b, rs.getInt(2) - rs.getInt(3));
                }
                if (rs.getInt(4) >= 0) {
                    b = Math.min(b, rs.getInt(4) - rs.getInt(5));
                }
                return Math.max(2, b);
            }
        }
    }

    List<SizingDecision> decisions() {
        synchronized (decisions) {
            return List.copyOf(decisions);
        }
    }

    /** After the pool's timer has stopped; waits for a look under way (bounded by its query timeout). */
    void close() {
        looking.lock();
        try {
            ConnectAttempts.closeQuietly(control);
            control = null;
        } finally {
            looking.unlock();
        }
    }
}
