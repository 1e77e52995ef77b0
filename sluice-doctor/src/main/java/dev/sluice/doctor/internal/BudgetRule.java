package dev.sluice.doctor.internal;

import static dev.sluice.doctor.internal.Findings.values;

import dev.sluice.doctor.Severity;

/**
 * DOC-BUDGET: all instances' pools together against the connections the server can give them:
 * max_connections less the slots reserved for superusers, less what other applications hold now
 * (connections of this user to this database are taken to be the application's own, already
 * counted in the pools). An error above it: the last instances to start, or to grow, are refused.
 * A warning above 80%: one more instance, a deploy that briefly runs old and new side by side, or
 * an operator's session, and it tips over. PostgreSQL's per-role and per-database CONNECTION LIMIT
 * are errors when the fleet exceeds them.
 */
final class BudgetRule implements Rule {
    static final double WARN_SHARE = 0.8;

    @Override
    public void check(CheckInput in, ServerFacts s, Findings out) {
        long fleet = in.fleetConnections();
        String demand = in.instances() + " instance" + (in.instances() == 1 ? "" : "s") + " × maximumPoolSize="
                + in.config().maximumPoolSize() + " = " + fleet + " connections";
        if (s.maxConnections() != null) {
            long reserved = s.reservedConnections() == null ? 0 : s.reservedConnections();
            long others = s.otherConnections() == null ? 0 : s.otherConnections();
            long available = s.maxConnections() - reserved - others;
            var v = values("instances", in.instances(), "maximumPoolSize", in.config().maximumPoolSize(), "fleet", fleet,
                    "max_connections", s.maxConnections(), "reserved", s.reservedConnections(), "other_connections", s.otherConnections(),
                    "available", available);
            String from = "(max_connections=" + s.maxConnections() + (s.reservedBy() == null ? "" : " − " + s.reservedBy())
                    + " − " + others + " held by other applications now)";
            if (fleet > available) {
                out.add("DOC-BUDGET", Severity.ERROR, demand + ", but the server has " + available + " for them " + from
                        + ": the last connections will be refused", v,
                        "lower maximumPoolSize to at most " + Math.max(1, available / in.instances()) + " per instance, or raise max_connections"
                                + " (or put a pooler such as PgBouncer in front)");
            } else if (fleet > WARN_SHARE * available) {
                long comfortable = (long) (WARN_SHARE * available);
                out.add("DOC-BUDGET", Severity.WARNING, demand + " is above 80% of the " + available + " the server has for them " + from
                        + ": one more instance or a rolling deploy can exhaust it", v,
                        "keep the fleet at or below " + comfortable + " connections (maximumPoolSize="
                                + Math.max(1, comfortable / in.instances()) + " per instance), or raise max_connections");
            }
        }
        limit(in, out, demand, fleet, "role", s.roleConnectionLimit(), "ALTER ROLE " + s.user() + " CONNECTION LIMIT");
        limit(in, out, demand, fleet, "database", s.databaseConnectionLimit(), "ALTER DATABASE ... CONNECTION LIMIT");
    }

    private static void limit(CheckInput in, Findings out, String demand, long fleet, String of, Long limit, String raise) {
        if (limit != null && fleet > limit) {
            out.add("DOC-BUDGET", Severity.ERROR, demand + ", but the " + of + " may hold at most " + limit
                    + " (its CONNECTION LIMIT): the last connections will be refused",
                    values("instances", in.instances(), "maximumPoolSize", in.config().maximumPoolSize(), "fleet", fleet,
                            of + "_connection_limit", limit),
                    "lower maximumPoolSize to at most " + Math.max(1, limit / in.instances()) + " per instance, or raise it: " + raise);
        }
    }
}
