package dev.sluice.doctor.internal;

import static dev.sluice.doctor.internal.Findings.values;

import dev.sluice.doctor.Severity;

/**
 * DOC-SIZE: two bounds on maximumPoolSize.
 *
 * <p>From below, when the caller declares its threads and how many connections one thread holds
 * at once: with Tn threads each holding Cm, the pool deadlocks unless it has Tn × (Cm − 1) + 1
 * connections, enough for every thread to hold all but its last one and one thread to finish. An
 * error, because the configuration cannot work under full load.
 *
 * <p>From above, when the database runs on this machine and its cores are known: past about
 * twice the cores in active connections a database only queues work internally (the PostgreSQL
 * wiki's cores × 2 + spindles); the fleet above {@link #CONNECTIONS_PER_CORE} per core is a
 * warning, since it is about the machine, and idle connections cost little.
 */
final class SizeRule implements Rule {
    static final int CONNECTIONS_PER_CORE = 4;

    @Override
    public void check(CheckInput in, ServerFacts s, Findings out) {
        int max = in.config().maximumPoolSize();
        if (in.threads() != null && in.connectionsPerThread() != null) {
            long needed = (long) in.threads() * (in.connectionsPerThread() - 1) + 1;
            if (max < needed) {
                out.add("DOC-SIZE", Severity.ERROR, in.threads() + " threads each holding " + in.connectionsPerThread()
                        + " connections at once need maximumPoolSize ≥ " + in.threads() + " × (" + in.connectionsPerThread()
                        + " − 1) + 1 = " + needed + ", and it is " + max + ": under full load every thread holds one and waits for"
                        + " another, a deadlock until connectionTimeout",
                        values("threads", in.threads(), "connections_per_thread", in.connectionsPerThread(), "maximumPoolSize", max,
                                "needed", needed),
                        "set maximumPoolSize=" + needed + " or more, or stop taking a second connection while holding one"
                                + " (nestedAcquisition=FAIL finds where)");
            }
        }
        if (Boolean.TRUE.equals(s.loopback()) && s.knowsSettings()) {
            long cores = in.machine().cores();
            long fleet = in.fleetConnections();
            if (fleet > CONNECTIONS_PER_CORE * cores) {
                out.add("DOC-SIZE", Severity.WARNING, in.instances() + " × maximumPoolSize=" + max + " = " + fleet
                        + " connections to a database on this machine, which has " + cores + " cores: beyond about "
                        + CONNECTIONS_PER_CORE * cores + " busy connections it only queues work internally",
                        values("instances", in.instances(), "maximumPoolSize", max, "fleet", fleet, "server_cores", cores),
                        "a smaller pool usually serves more: start near cores × 2 per database server, and let callers wait in the"
                                + " pool (or set sizing=ADAPTIVE)");
            }
        }
    }
}
