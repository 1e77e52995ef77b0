package dev.sluice;

/**
 * The JMX view of a pool, registered as {@code dev.sluice:type=Pool,name=<poolName>} when
 * {@code registerMbeans} is on. Attributes are the pool's stats and its runtime-mutable knobs;
 * operations steer it. No attribute exposes a password.
 */
public interface SluicePoolMXBean {
    String getPoolName();

    int getTotalConnections();

    int getActiveConnections();

    int getIdleConnections();

    int getPendingThreads();

    int getCreatingConnections();

    long getAcquiredTotal();

    long getWaitCount();

    long getAcquireTimeouts();

    long getCreatedTotal();

    long getCreateFailures();

    long getClosedTotal();

    long getLeaksSuspected();

    double getAcquireP99Millis();

    double getHoldP99Millis();

    String getLastConnectFailure();

    String getUsername();

    /** The health rule's status over the last minute: HEALTHY, BUSY, SATURATED, OVERSIZED or DOWN. */
    String getHealthStatus();

    /** The fleet as this pool last saw it (instances, budget, fair share, claim, grant), or null when it is not a fleet member. */
    String getFleetView();

    /** The figures behind {@link #getHealthStatus()}, one line each. */
    String[] getHealthReasons();

    boolean isSuspended();

    /**
     * Every knob of the configuration the pool started with, as {@code value (origin)} where the
     * origin is {@code default}, {@code derived} or {@code set} (see {@link KnobOrigin}), so an
     * operator can tell a choice from a default. Secrets are hidden.
     */
    java.util.Map<String, String> getConfiguration();

    int getMaximumPoolSize();

    void setMaximumPoolSize(int maximumPoolSize);

    int getMinimumIdle();

    void setMinimumIdle(int minimumIdle);

    long getConnectionTimeoutMillis();

    void setConnectionTimeoutMillis(long millis);

    long getLeakDetectionThresholdMillis();

    void setLeakDetectionThresholdMillis(long millis);

    long getIdleTimeoutMillis();

    void setIdleTimeoutMillis(long millis);

    void suspendPool();

    void resumePool();

    /** Closes idle connections now. */
    void evictIdleConnections();

    /** Closes idle connections now and borrowed ones when returned. */
    void evictAllConnections();

    /** New connections use these credentials. The password is used, never stored in an attribute. */
    void rotateCredentials(String username, String password);
}
