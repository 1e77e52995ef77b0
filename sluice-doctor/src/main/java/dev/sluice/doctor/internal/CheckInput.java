package dev.sluice.doctor.internal;

import dev.sluice.SluiceConfig;
import java.time.Duration;

/**
 * Everything a rule reads besides the server: the pool's configuration, what the caller declared
 * about the deployment, the driver's settings and this machine.
 *
 * @param instances            application instances sharing the database, each with this pool
 * @param networkIdleTimeout   a firewall's or NAT's idle limit on the path to the database; null if not declared
 * @param threads              threads that may each hold connections at once; null if not declared
 * @param connectionsPerThread the most connections one thread holds at once (nested acquisition); null if not declared
 */
public record CheckInput(SluiceConfig config, int instances, Duration networkIdleTimeout, Integer threads,
        Integer connectionsPerThread, DriverSettings driver, MachineFacts machine) {

    /** Connections all instances together may open. */
    public long fleetConnections() {
        return (long) instances * config.maximumPoolSize();
    }

    /**
     * The longest a pooled connection can go without the pool sending anything on it, and the knob
     * that sets it; null when nothing bounds it. Keepalive validates idle connections, maxLifetime
     * and maxIdleTime retire them, idleTimeout closes them only above minimumIdle (so only counts
     * when minimumIdle is 0).
     */
    public Bound idleBound() {
        Bound b = null;
        b = shorter(b, "keepaliveTime", config.keepaliveTime());
        b = shorter(b, "maxIdleTime", config.maxIdleTime());
        b = shorter(b, "maxLifetime", config.maxLifetime());
        if (config.minimumIdle() == 0) {
            b = shorter(b, "idleTimeout", config.idleTimeout());
        }
        return b;
    }

    /** A duration and the knob it comes from. */
    public record Bound(String knob, Duration value) {
    }

    private static Bound shorter(Bound b, String knob, Duration d) {
        if (d.isZero()) {
            return b;
        }
        return b == null || d.compareTo(b.value()) < 0 ? new Bound(knob, d) : b;
    }
}
