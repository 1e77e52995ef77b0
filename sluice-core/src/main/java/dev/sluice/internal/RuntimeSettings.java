package dev.sluice.internal;

import dev.sluice.SluiceConfig;
import java.time.Duration;

/**
 * The knobs that can change while the pool runs, their one owner: the data source and the
 * MXBean both change them here, each change checked by {@link KnobRules} with the wording of
 * {@link SluiceConfig}, and the pool reads them from here.
 *
 * <p>It is {@link Pool}'s superclass rather than a field of it because the borrow and return
 * paths read {@code maximumPoolSize} and {@code maxIdle} on every call: as fields of the pool
 * object itself they cost those paths no extra dereference. Knobs that never change after start
 * are not here; each part of the pool keeps its own final copy.
 */
public abstract class RuntimeSettings {
    final String name;
    final SluiceConfig config;

    volatile int maximumPoolSize;
    volatile int minimumIdle;
    /** Go's SetMaxIdleConns, kept within minimumIdle..maximumPoolSize as the size changes. */
    volatile int maxIdle;
    volatile long connectionTimeoutNanos;
    volatile long validationTimeoutNanos;
    volatile long idleTimeoutNanos;
    /** Applies to connections opened from now on. */
    volatile long maxLifetimeNanos;
    volatile long leakThresholdNanos;

    RuntimeSettings(SluiceConfig config) {
        this.name = config.poolName();
        this.config = config;
        this.maximumPoolSize = config.maximumPoolSize();
        this.minimumIdle = config.minimumIdle();
        this.maxIdle = config.maxIdle();
        this.connectionTimeoutNanos = config.connectionTimeout().toNanos();
        this.validationTimeoutNanos = config.validationTimeout().toNanos();
        this.idleTimeoutNanos = config.idleTimeout().toNanos();
        this.maxLifetimeNanos = config.maxLifetime().toNanos();
        this.leakThresholdNanos = config.leakDetectionThreshold().toNanos();
    }

    public String name() {
        return name;
    }

    /** The configuration the pool was started with; runtime changes are not reflected in it. */
    public SluiceConfig config() {
        return config;
    }

    /** Changes the pool size; surplus idle connections close now, surplus borrowed ones on return. */
    public void resize(int newMaximumPoolSize, int newMinimumIdle) {
        KnobRules.maximumPoolSize(newMaximumPoolSize);
        KnobRules.minimumIdle(newMinimumIdle);
        if (newMinimumIdle > newMaximumPoolSize) {
            throw KnobRules.invalid("minimumIdle", String.valueOf(newMinimumIdle),
                    KnobRules.minimumIdleAboveMaximum(newMinimumIdle, newMaximumPoolSize));
        }
        resized(newMaximumPoolSize, newMinimumIdle);
    }

    /** Called with a valid size: the pool applies it (adaptive sizing may move it within the new bounds). */
    abstract void resized(int newMaximumPoolSize, int newMinimumIdle);

    /** Sets the size the pool works to; maxIdle left at its default follows it, a configured one is kept within it. */
    final void size(int newMaximumPoolSize, int newMinimumIdle) {
        maximumPoolSize = newMaximumPoolSize;
        minimumIdle = newMinimumIdle;
        int configured = config.maxIdle() >= config.maximumPoolSize() ? newMaximumPoolSize : config.maxIdle();
        maxIdle = Math.max(newMinimumIdle, Math.min(configured, newMaximumPoolSize));
    }

    public void connectionTimeout(Duration d) {
        connectionTimeoutNanos = KnobRules.atLeast("connectionTimeout", d, KnobRules.MIN_CONNECTION_TIMEOUT).toNanos();
    }

    public long connectionTimeoutNanos() {
        return connectionTimeoutNanos;
    }

    public void validationTimeout(Duration d) {
        validationTimeoutNanos = KnobRules.atLeast("validationTimeout", d, KnobRules.MIN_VALIDATION_TIMEOUT).toNanos();
    }

    public void idleTimeout(Duration d) {
        idleTimeoutNanos = KnobRules.zeroOrAtLeast("idleTimeout", d, KnobRules.MIN_AGE_KNOB).toNanos();
    }

    public long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    public void maxLifetime(Duration d) {
        maxLifetimeNanos = KnobRules.zeroOrAtLeast("maxLifetime", d, KnobRules.MIN_AGE_KNOB).toNanos();
    }

    public void leakDetectionThreshold(Duration d) {
        leakThresholdNanos = KnobRules.zeroOrAtLeast("leakDetectionThreshold", d, KnobRules.MIN_LEAK_THRESHOLD).toNanos();
        leakThresholdChanged();
    }

    public long leakDetectionThresholdNanos() {
        return leakThresholdNanos;
    }

    /** Leak detection needs every borrow timed, so the pool re-derives its sampling. */
    abstract void leakThresholdChanged();

    /** New connections use these credentials; open ones keep theirs (evict to force). */
    public void credentials(String username, String password) {
        connector().credentials(username, password);
        events().credentialsChanged(username);
    }

    public String username() {
        return connector().username();
    }

    abstract PhysicalConnector connector();

    abstract PoolEvents events();
}
