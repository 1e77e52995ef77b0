package dev.sluice.doctor.internal;

import java.util.List;

/** Every rule, in the order their findings are listed within one severity. */
public final class Rules {
    private static final List<Rule> ALL = List.of(new ReachRule(), new BudgetRule(), new LifetimeRule(), new IdleTransactionRule(),
            new StatementTimeoutRule(), new KeepaliveRule(), new SizeRule(), new ReplicaRule(), new SuperuserRule(),
            new MariaDbLimitsRule(), new FileDescriptorRule(), new TimeoutOrderRule());

    private Rules() {
    }

    public static Findings apply(CheckInput in, ServerFacts server) {
        Findings out = new Findings();
        for (Rule r : ALL) {
            r.check(in, server, out);
        }
        return out;
    }
}
