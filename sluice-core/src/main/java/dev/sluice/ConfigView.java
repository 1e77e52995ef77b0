package dev.sluice;

import static dev.sluice.internal.KnobRules.fmt;

import dev.sluice.internal.Redaction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a {@link SluiceConfig} tells a reader: each knob's value as text and where it came from,
 * for toString, the start-up log and JMX. Every value shown passes through {@link #shown(String)},
 * the one place that hides the password, URL credentials and secret driver properties.
 */
final class ConfigView {
    /** The knobs {@link #summary()} shows, in the order a reader looks for them. */
    private static final List<String> SHOWN = List.of("poolName", "jdbcUrl", "dataSourceClassName", "username", "password",
            "credentialsProvider", "dataSourceProperties", "maximumPoolSize", "minimumIdle", "maxIdle", "connectionTimeout", "validationTimeout",
            "idleTimeout", "maxIdleTime", "maxLifetime", "keepaliveTime", "validationBypassWindow", "leakDetectionThreshold",
            "leakDetectionStacks", "abandonTimeout", "housekeepingPeriod", "nestedAcquisition", "breakerFailureThreshold", "breakerFailureRateThreshold",
            "breakerWindow", "breakerMaxProbeInterval", "sizing", "initializationFailTimeout", "autoCommit", "readOnly",
            "transactionIsolation", "pgbouncer", "requirePrimary", "fleet");

    private final KnobValues values;
    private final Set<String> explicit;
    private final Map<String, String> derivations;

    /**
     * @param values      the resolved values
     * @param explicit    the knobs the user set
     * @param derivations the knobs whose defaults were replaced, with why
     */
    ConfigView(KnobValues values, Set<String> explicit, Map<String, String> derivations) {
        this.values = values;
        this.explicit = explicit;
        this.derivations = derivations;
    }

    KnobOrigin origin(String knob) {
        if (explicit.contains(knob)) {
            return KnobOrigin.SET;
        }
        if (derivations.containsKey(knob)) {
            return KnobOrigin.DERIVED;
        }
        if (!PropertyBinding.isKnob(knob)) {
            throw PropertyBinding.unknown(knob);
        }
        return KnobOrigin.DEFAULT;
    }

    Map<String, String> explicitSettings() {
        Map<String, String> set = new LinkedHashMap<>();
        for (String knob : new TreeSet<>(explicit)) {
            set.put(knob, shown(knob));
        }
        return set;
    }

    Map<String, String> describe() {
        Map<String, String> all = new LinkedHashMap<>();
        for (String knob : SHOWN) {
            all.put(knob, shown(knob) + " (" + origin(knob).name().toLowerCase(Locale.ROOT) + ")");
        }
        return all;
    }

    /** One line, marking only what differs from a plain default, so a log reader sees the choices. */
    String summary() {
        StringBuilder s = new StringBuilder("SluiceConfig[");
        String sep = "";
        for (String knob : SHOWN) {
            if (knob.equals("dataSourceClassName") && values.dataSourceClassName == null) {
                continue;
            }
            s.append(sep).append(knob).append('=').append(shown(knob));
            KnobOrigin origin = origin(knob);
            if (origin != KnobOrigin.DEFAULT) {
                s.append(" (").append(origin.name().toLowerCase(Locale.ROOT)).append(')');
            }
            sep = ", ";
        }
        if (!values.inertProperties.isEmpty()) {
            s.append(sep).append("withoutEffect=").append(values.inertProperties);
        }
        return s.append(']').toString();
    }

    /** A knob's value as logs, toString and JMX show it; never a secret. */
    String shown(String knob) {
        KnobValues v = values;
        return switch (knob) {
            case "password" -> v.password == null ? "<none>" : "<hidden>";
            case "credentialsProvider" -> v.credentialsProvider == null ? "null" : v.credentialsProvider.getClass().getName();
            case "jdbcUrl" -> Redaction.url(v.jdbcUrl);
            case "dataSourceProperties" -> String.valueOf(Redaction.redact(v.dataSourceProperties));
            case "dataSource" -> v.dataSource == null ? "null" : v.dataSource.getClass().getName();
            case "listeners" -> String.valueOf(v.listeners.size());
            case "borrowContext" -> v.borrowContext == null ? "null" : "<supplier>";
            case "poolName" -> v.poolName;
            case "username" -> String.valueOf(v.username);
            case "driverClassName" -> String.valueOf(v.driverClassName);
            case "dataSourceClassName" -> String.valueOf(v.dataSourceClassName);
            case "maximumPoolSize" -> String.valueOf(v.maximumPoolSize);
            case "minimumIdle" -> String.valueOf(v.minimumIdle);
            case "maxIdle" -> String.valueOf(v.maxIdle);
            case "maxConcurrentCreates" -> String.valueOf(v.maxConcurrentCreates);
            case "connectionTimeout" -> fmt(v.connectionTimeout);
            case "validationTimeout" -> fmt(v.validationTimeout);
            case "idleTimeout" -> fmt(v.idleTimeout);
            case "maxIdleTime" -> fmt(v.maxIdleTime);
            case "maxLifetime" -> fmt(v.maxLifetime);
            case "keepaliveTime" -> fmt(v.keepaliveTime);
            case "validationBypassWindow" -> fmt(v.validationBypassWindow);
            case "leakDetectionThreshold" -> fmt(v.leakDetectionThreshold);
            case "leakDetectionStacks" -> String.valueOf(v.leakDetectionStacks);
            case "initializationFailTimeout" -> fmt(v.initializationFailTimeout);
            case "shutdownTimeout" -> fmt(v.shutdownTimeout);
            case "housekeepingPeriod" -> fmt(v.housekeepingPeriod);
            case "abandonTimeout" -> fmt(v.abandonTimeout);
            case "autoCommit" -> String.valueOf(v.autoCommit);
            case "readOnly" -> String.valueOf(v.readOnly);
            case "transactionIsolation" -> String.valueOf(v.transactionIsolation);
            case "catalog" -> String.valueOf(v.catalog);
            case "schema" -> String.valueOf(v.schema);
            case "connectionInitSql" -> String.valueOf(v.connectionInitSql);
            case "connectionTestQuery" -> String.valueOf(v.connectionTestQuery);
            case "nestedAcquisition" -> String.valueOf(v.nestedAcquisition);
            case "registerMbeans" -> String.valueOf(v.registerMbeans);
            case "breakerFailureThreshold" -> String.valueOf(v.breakerFailureThreshold);
            case "breakerFailureRateThreshold" -> String.valueOf(v.breakerFailureRateThreshold);
            case "breakerWindow" -> fmt(v.breakerWindow);
            case "breakerMaxProbeInterval" -> fmt(v.breakerMaxProbeInterval);
            case "sizing" -> String.valueOf(v.sizing);
            case "sizingHeadroom" -> String.valueOf(v.sizingHeadroom);
            case "sizingInterval" -> fmt(v.sizingInterval);
            case "sizingInstances" -> String.valueOf(v.sizingInstances);
            case "pgbouncer" -> String.valueOf(v.pgbouncer);
            case "fleet" -> String.valueOf(v.fleet);
            case "fleetInstance" -> String.valueOf(v.fleetInstance);
            case "fleetBudget" -> String.valueOf(v.fleetBudget);
            case "fleetInterval" -> fmt(v.fleetInterval);
            case "requirePrimary" -> String.valueOf(v.requirePrimary);
            default -> "?";
        };
    }
}
