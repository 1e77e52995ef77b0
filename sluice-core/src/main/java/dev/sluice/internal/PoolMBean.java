package dev.sluice.internal;

import dev.sluice.PoolStats;
import dev.sluice.SluicePoolMXBean;
import java.time.Duration;
import java.util.Map;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The MXBean of one pool, and its registration with the platform MBean server. It changes knobs
 * through the pool's {@link RuntimeSettings}, as the data source does, so a value refused by
 * one is refused by the other with the same message.
 */
public final class PoolMBean implements SluicePoolMXBean {
    private final Pool pool;

    private PoolMBean(Pool pool) {
        this.pool = pool;
    }

    public static ObjectName objectName(String poolName) throws JMException {
        return new ObjectName("dev.sluice:type=Pool,name=" + ObjectName.quote(poolName));
    }

    /** Registers the pool's MXBean; returns its name, or null if registration failed (logged, not fatal). */
    public static ObjectName register(Pool pool) {
        try {
            return MBeans.register(new PoolMBean(pool), objectName(pool.name()), pool.name());
        } catch (JMException e) {
            return null; // a name ObjectName cannot quote: not possible for a quoted value, kept for the checked exception
        }
    }

    public static void unregister(ObjectName on) {
        MBeans.unregister(on);
    }

    private PoolStats stats() {
        return pool.stats();
    }

    @Override
    public String getPoolName() {
        return pool.name();
    }

    @Override
    public int getTotalConnections() {
        return stats().open();
    }

    @Override
    public int getActiveConnections() {
        return stats().inUse();
    }

    @Override
    public int getIdleConnections() {
        return stats().idle();
    }

    @Override
    public int getPendingThreads() {
        return stats().pending();
    }

    @Override
    public int getCreatingConnections() {
        return stats().creating();
    }

    @Override
    public long getAcquiredTotal() {
        return stats().acquired();
    }

    @Override
    public long getWaitCount() {
        return stats().waitCount();
    }

    @Override
    public long getAcquireTimeouts() {
        return stats().acquireTimeouts();
    }

    @Override
    public long getCreatedTotal() {
        return stats().created();
    }

    @Override
    public long getCreateFailures() {
        return stats().createFailures();
    }

    @Override
    public long getClosedTotal() {
        return stats().closed();
    }

    @Override
    public long getLeaksSuspected() {
        return stats().leaksSuspected();
    }

    @Override
    public double getAcquireP99Millis() {
        return stats().acquireLatency().p99().toNanos() / 1e6;
    }

    @Override
    public double getHoldP99Millis() {
        return stats().holdLatency().p99().toNanos() / 1e6;
    }

    @Override
    public String getFleetView() {
        return pool.fleetView();
    }

    @Override
    public String getLastConnectFailure() {
        return stats().lastConnectFailure() == null ? null : stats().lastConnectFailure().name();
    }

    @Override
    public String getUsername() {
        return pool.username();
    }

    @Override
    public String getHealthStatus() {
        return pool.health().status().name();
    }

    @Override
    public String[] getHealthReasons() {
        return pool.health().reasons().toArray(new String[0]);
    }

    @Override
    public Map<String, String> getConfiguration() {
        return pool.config().describe();
    }

    @Override
    public boolean isSuspended() {
        return pool.isSuspended();
    }

    @Override
    public int getMaximumPoolSize() {
        return stats().maximumPoolSize();
    }

    @Override
    public void setMaximumPoolSize(int maximumPoolSize) {
        pool.resize(maximumPoolSize, Math.min(getMinimumIdle(), maximumPoolSize));
    }

    @Override
    public int getMinimumIdle() {
        return stats().minimumIdle();
    }

    @Override
    public void setMinimumIdle(int minimumIdle) {
        pool.resize(getMaximumPoolSize(), minimumIdle);
    }

    @Override
    public long getConnectionTimeoutMillis() {
        return Duration.ofNanos(pool.connectionTimeoutNanos()).toMillis();
    }

    @Override
    public void setConnectionTimeoutMillis(long millis) {
        pool.connectionTimeout(Duration.ofMillis(millis));
    }

    @Override
    public long getLeakDetectionThresholdMillis() {
        return Duration.ofNanos(pool.leakDetectionThresholdNanos()).toMillis();
    }

    @Override
    public void setLeakDetectionThresholdMillis(long millis) {
        pool.leakDetectionThreshold(Duration.ofMillis(millis));
    }

    @Override
    public long getIdleTimeoutMillis() {
        return Duration.ofNanos(pool.idleTimeoutNanos()).toMillis();
    }

    @Override
    public void setIdleTimeoutMillis(long millis) {
        pool.idleTimeout(Duration.ofMillis(millis));
    }

    @Override
    public void suspendPool() {
        pool.suspend();
    }

    @Override
    public void resumePool() {
        pool.resume();
    }

    @Override
    public void evictIdleConnections() {
        pool.evict(false);
    }

    @Override
    public void evictAllConnections() {
        pool.evict(true);
    }

    @Override
    public void rotateCredentials(String username, String password) {
        pool.credentials(username, password);
    }
}
