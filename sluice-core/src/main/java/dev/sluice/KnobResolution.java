package dev.sluice;

import static dev.sluice.internal.KnobRules.fmt;

import dev.sluice.internal.DataSourceBeanBinder;
import dev.sluice.internal.KnobRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@link SluiceConfig.Builder#build()}: derives the knobs that were not set from those that
 * were and checks the rules between knobs. A default never makes a set value invalid: where it
 * would break a rule against a set knob it gives way, and the reason is recorded as a derivation.
 * Only set values that contradict each other fail, every one of them in one exception.
 *
 * <p>Rules read what was set from {@code set} and write what they derive to {@code resolved},
 * so each rule sees the user's values, not another rule's output, unless it asks for it.
 */
final class KnobResolution {
    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

    private final KnobValues set;
    private final KnobValues resolved;
    /** Knobs whose property text was rejected: a rule involving them would only repeat that error. */
    private final Set<String> rejected = new HashSet<>();
    private final List<InvalidConfigException.Violation> violations = new ArrayList<>();
    /** Knob to the sentence saying what was derived and why, in the order the rules ran. */
    private final Map<String, String> derivations = new LinkedHashMap<>();

    private KnobResolution(KnobValues set) {
        this.set = set;
        this.resolved = set.clone();
        for (InvalidConfigException.Violation v : set.rejectedProperties) {
            rejected.add(v.knob());
        }
        violations.addAll(set.rejectedProperties);
    }

    /**
     * The configuration {@code set} describes.
     *
     * @throws InvalidConfigException listing every broken rule
     */
    static SluiceConfig resolve(KnobValues set) {
        return new KnobResolution(set).resolve();
    }

    private SluiceConfig resolve() {
        if (set.jdbcUrl == null && set.dataSource == null && set.dataSourceClassName == null) {
            violation("jdbcUrl", null, "jdbcUrl is required (or set dataSource)");
        }
        if (set.dataSourceClassName != null && (set.jdbcUrl != null || set.dataSource != null)) {
            String other = set.jdbcUrl != null ? "jdbcUrl" : "dataSource";
            violation("dataSourceClassName", set.dataSourceClassName, "dataSourceClassName=" + set.dataSourceClassName + " and "
                    + other + " are both set; set one: dataSourceClassName with dataSource.* bean properties, or " + other);
        }
        if (set.credentialsProvider != null && set.password != null) {
            String provider = set.credentialsProvider.getClass().getName();
            violation("credentialsProvider", provider, "password is set together with credentialsProvider=" + provider
                    + "; set one of them: the provider supplies the password of every connect");
        }
        resolveSizes();
        resolveTimeouts();
        resolveAges();
        if (isSet("abandonTimeout") && isSet("leakDetectionThreshold") && !set.abandonTimeout.isZero()
                && !set.leakDetectionThreshold.isZero() && set.abandonTimeout.compareTo(set.leakDetectionThreshold) <= 0) {
            conflict("abandonTimeout", fmt(set.abandonTimeout), "abandonTimeout=" + fmt(set.abandonTimeout)
                    + " must be 0 or more than leakDetectionThreshold=" + fmt(set.leakDetectionThreshold), "leakDetectionThreshold");
        }
        resolveHousekeeping();
        if (set.pgbouncer == PgBouncerMode.TRANSACTION) {
            for (InvalidConfigException.Violation v : TransactionPoolingRules.check(set)) {
                conflict(v.knob(), v.value(), v.message(), "pgbouncer");
            }
        }
        if (set.dataSourceClassName != null && violations.isEmpty()) {
            try {
                resolved.dataSource = DataSourceBeanBinder.bind(set.dataSourceClassName, set.dataSourceProperties);
            } catch (InvalidConfigException invalid) {
                violations.addAll(invalid.violations());
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidConfigException(violations);
        }
        if (resolved.poolName == null) {
            resolved.poolName = "sluice-" + POOL_NUMBER.incrementAndGet();
        }
        resolved.listeners = List.copyOf(resolved.listeners);
        resolved.inertProperties = Collections.unmodifiableSet(resolved.inertProperties);
        return new SluiceConfig(resolved, set.clone(), Collections.unmodifiableMap(derivations));
    }

    /** maximumPoolSize, minimumIdle and maxIdle: unset ones make room for set ones. */
    private void resolveSizes() {
        Integer minimumIdle = set.minimumIdle;
        Integer maxIdle = set.maxIdle;
        if (!isSet("maximumPoolSize")) {
            int needed = Math.max(minimumIdle != null ? minimumIdle : 0, maxIdle != null ? maxIdle : 0);
            if (needed > resolved.maximumPoolSize) {
                String by = minimumIdle != null && minimumIdle == needed ? "minimumIdle" : "maxIdle";
                derive("maximumPoolSize", "maximumPoolSize=" + needed + ": raised from the default " + resolved.maximumPoolSize
                        + " to " + by + "=" + needed + ", which cannot exceed it");
                resolved.maximumPoolSize = needed;
            }
        }
        int maximumPoolSize = resolved.maximumPoolSize;
        if (minimumIdle == null) {
            resolved.minimumIdle = maximumPoolSize;
            if (maxIdle != null && maxIdle < maximumPoolSize) {
                resolved.minimumIdle = maxIdle;
                derive("minimumIdle", "minimumIdle=" + maxIdle + ": lowered from maximumPoolSize=" + maximumPoolSize
                        + " to maxIdle=" + maxIdle + ", which it cannot exceed");
            }
        } else if (minimumIdle > maximumPoolSize) {
            conflict("minimumIdle", String.valueOf(minimumIdle),
                    KnobRules.minimumIdleAboveMaximum(minimumIdle, maximumPoolSize), "maximumPoolSize");
        }
        if (maxIdle == null) {
            resolved.maxIdle = maximumPoolSize;
        } else if (maxIdle < resolved.minimumIdle || maxIdle > maximumPoolSize) {
            conflict("maxIdle", String.valueOf(maxIdle), "maxIdle=" + maxIdle + " must be between minimumIdle="
                    + resolved.minimumIdle + " and maximumPoolSize=" + maximumPoolSize, "minimumIdle", "maximumPoolSize");
        }
    }

    /** validationTimeout must fit in connectionTimeout: whichever was not set adapts. */
    private void resolveTimeouts() {
        Duration validation = set.validationTimeout;
        Duration connection = set.connectionTimeout;
        if (validation.compareTo(connection) <= 0) {
            return;
        }
        if (isSet("validationTimeout") && isSet("connectionTimeout")) {
            conflict("validationTimeout", fmt(validation), "validationTimeout=" + fmt(validation)
                    + " must not exceed connectionTimeout=" + fmt(connection), "connectionTimeout");
        } else if (isSet("validationTimeout")) {
            resolved.connectionTimeout = validation;
            derive("connectionTimeout", "connectionTimeout=" + fmt(validation) + ": raised from the default "
                    + fmt(connection) + " to validationTimeout=" + fmt(validation)
                    + ", since a borrower waits at least as long as a validation may take");
        } else {
            resolved.validationTimeout = connection;
            derive("validationTimeout", "validationTimeout=" + fmt(connection) + ": capped from the default "
                    + fmt(validation) + " at connectionTimeout=" + fmt(connection));
        }
    }

    /** idleTimeout and keepaliveTime must be shorter than maxLifetime to ever act. */
    private void resolveAges() {
        if (!isSet("maxLifetime") && !set.maxLifetime.isZero()) {
            Duration longest = Duration.ZERO;
            String by = null;
            for (String knob : new String[] {"idleTimeout", "keepaliveTime"}) {
                Duration v = knob.equals("idleTimeout") ? set.idleTimeout : set.keepaliveTime;
                if (isSet(knob) && v.compareTo(longest) > 0) {
                    longest = v;
                    by = knob;
                }
            }
            if (by != null && longest.compareTo(set.maxLifetime) >= 0) {
                // Twice the set value, so a connection lives through at least one whole idle
                // (or keepalive) period before it retires.
                resolved.maxLifetime = longest.multipliedBy(2);
                derive("maxLifetime", "maxLifetime=" + fmt(resolved.maxLifetime) + ": raised from the default "
                        + fmt(set.maxLifetime) + " to twice " + by + "=" + fmt(longest) + ", which must be shorter");
            }
        }
        if (resolved.maxLifetime.isZero()) {
            return;
        }
        ageRule("idleTimeout", set.idleTimeout, () -> resolved.idleTimeout = Duration.ZERO,
                "connections retire by age before they could time out idle");
        ageRule("keepaliveTime", set.keepaliveTime, () -> resolved.keepaliveTime = Duration.ZERO,
                "connections retire by age before a keepalive would run");
    }

    private void ageRule(String knob, Duration v, Runnable switchOff, String why) {
        Duration maxLifetime = resolved.maxLifetime;
        if (v.isZero() || v.compareTo(maxLifetime) < 0) {
            return;
        }
        if (isSet(knob)) {
            conflict(knob, fmt(v), knob + "=" + fmt(v) + " must be 0 or less than maxLifetime=" + fmt(maxLifetime), "maxLifetime");
        } else {
            // As HikariCP does with the same conflict: the knob could never act, so it is off.
            switchOff.run();
            derive(knob, knob + "=0 (off): the default " + fmt(v) + " is not below maxLifetime=" + fmt(maxLifetime)
                    + ", so " + why);
        }
    }

    /**
     * The background check runs often enough for the shortest knob it serves (a quarter of
     * an idle knob, half a leak threshold up to 500 ms). A set housekeepingPeriod is an upper
     * bound, as documented: a leak threshold of 2 s must not be reported 30 s late.
     */
    private void resolveHousekeeping() {
        Duration p = set.housekeepingPeriod;
        String by = null;
        for (String knob : new String[] {"idleTimeout", "maxIdleTime", "keepaliveTime", "leakDetectionThreshold", "abandonTimeout"}) {
            Duration v = resolvedDuration(knob);
            if (v.isZero()) {
                continue;
            }
            boolean idleKnob = !knob.equals("leakDetectionThreshold") && !knob.equals("abandonTimeout");
            Duration wanted = idleKnob ? v.dividedBy(4) : min(v.dividedBy(2), Duration.ofMillis(500));
            if (wanted.compareTo(p) < 0) {
                p = wanted;
                by = knob;
            }
        }
        if (by != null) {
            p = p.compareTo(KnobValues.MIN_HOUSEKEEPING_PERIOD) < 0 ? KnobValues.MIN_HOUSEKEEPING_PERIOD : p;
            resolved.housekeepingPeriod = p;
            // Shortening for a knob left at its default is the documented default behaviour, not news.
            if (isSet(by) || isSet("housekeepingPeriod")) {
                derive("housekeepingPeriod", "housekeepingPeriod=" + fmt(p) + ": shortened from "
                        + (isSet("housekeepingPeriod") ? "the set " : "the default ") + fmt(set.housekeepingPeriod)
                        + " so that " + by + "=" + fmt(resolvedDuration(by)) + " is enforced on time");
            }
        }
    }

    private Duration resolvedDuration(String knob) {
        return switch (knob) {
            case "idleTimeout" -> resolved.idleTimeout;
            case "maxIdleTime" -> resolved.maxIdleTime;
            case "keepaliveTime" -> resolved.keepaliveTime;
            case "leakDetectionThreshold" -> resolved.leakDetectionThreshold;
            default -> resolved.abandonTimeout;
        };
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private boolean isSet(String knob) {
        return set.explicit.contains(knob);
    }

    private void derive(String knob, String why) {
        derivations.put(knob, why);
    }

    private void violation(String knob, String value, String message) {
        violations.add(new InvalidConfigException.Violation(knob, value, message));
    }

    /** A broken rule between knobs, unless one of them was already reported as unreadable. */
    private void conflict(String knob, String value, String message, String... others) {
        if (rejected.contains(knob)) {
            return;
        }
        for (String other : others) {
            if (rejected.contains(other)) {
                return;
            }
        }
        violation(knob, value, message);
    }
}
