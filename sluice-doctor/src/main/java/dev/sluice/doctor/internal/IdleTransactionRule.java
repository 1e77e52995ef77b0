package dev.sluice.doctor.internal;

import static dev.sluice.doctor.internal.Findings.values;

import dev.sluice.doctor.Severity;

/**
 * DOC-IDLETX: nothing ends a transaction its borrower forgot. With the server's idle-in-transaction
 * timeout off and no abandonTimeout, a code path that begins a transaction and never commits holds
 * its locks, and on PostgreSQL blocks vacuum, until the process dies.
 */
final class IdleTransactionRule implements Rule {
    @Override
    public void check(CheckInput in, ServerFacts s, Findings out) {
        if (s.idleTransactionTimeout() == null || !s.idleTransactionTimeout().isZero() || !in.config().abandonTimeout().isZero()) {
            return;
        }
        String name = s.idleTransactionTimeoutName();
        String serverFix = s.product() == ServerFacts.Product.POSTGRESQL
                ? "ALTER ROLE " + s.user() + " SET " + name + " = '60s'"
                : "sessionVariables=" + name + "=60 in the URL (or SET GLOBAL " + name + "=60)";
        out.add("DOC-IDLETX", Severity.WARNING, name + " is off and the pool has no abandonTimeout: a transaction left open by its"
                + " borrower holds its locks and its connection for as long as the process lives",
                values(name, s.idleTransactionTimeout(), "abandonTimeout", in.config().abandonTimeout()),
                serverFix + ", above your longest legitimate pause inside a transaction; or set abandonTimeout above your longest transaction");
    }
}
