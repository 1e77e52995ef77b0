package dev.sluice.doctor.internal;

import static dev.sluice.doctor.internal.Findings.values;

import dev.sluice.doctor.Severity;
import java.util.Locale;

/**
 * DOC-STMT: no statement timeout anywhere, so one runaway query holds its connection (and, in a
 * small pool, everyone's turn) without end. A connectionInitSql that sets the server's timeout
 * counts: the check does not run it (it changes the session), so it takes the pool's word for it.
 */
final class StatementTimeoutRule implements Rule {
    @Override
    public void check(CheckInput in, ServerFacts s, Findings out) {
        String name = s.statementTimeoutName();
        if (name == null || s.statementTimeout() == null || !s.statementTimeout().isZero()) {
            return;
        }
        String init = in.config().connectionInitSql();
        if (init != null && init.toLowerCase(Locale.ROOT).contains(name)) {
            return;
        }
        String serverFix = s.product() == ServerFacts.Product.POSTGRESQL
                ? "ALTER ROLE " + s.user() + " SET statement_timeout = '30s' (or options=-c statement_timeout=30s in the URL)"
                : "sessionVariables=" + name + "=" + (name.equals("max_execution_time") ? "30000" : "30") + " in the URL";
        out.add("DOC-STMT", Severity.WARNING, name + " is off for this role and the pool sets none: a runaway query holds its"
                + " connection until it finishes", values(name, s.statementTimeout(), "connectionInitSql", init),
                serverFix + ", above your slowest legitimate query; and run each request under a dev.sluice.Deadline");
    }
}
