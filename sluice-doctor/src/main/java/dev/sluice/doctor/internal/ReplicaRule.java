package dev.sluice.doctor.internal;

import static dev.sluice.doctor.internal.Findings.values;

import dev.sluice.doctor.Severity;

/**
 * DOC-ROLE: the URL leads to a read-only replica (PostgreSQL in recovery, MariaDB/MySQL with
 * read_only on) but the pool is not marked readOnly, so it expects a primary: every write will
 * fail. Typical after a failover when the URL names one host instead of the primary's address.
 */
final class ReplicaRule implements Rule {
    @Override
    public void check(CheckInput in, ServerFacts s, Findings out) {
        if (!Boolean.TRUE.equals(s.replica()) || in.config().readOnly()) {
            return;
        }
        String what = s.product() == ServerFacts.Product.POSTGRESQL ? "a replica (pg_is_in_recovery() is true)" : "read-only (read_only=ON), as replicas are";
        out.add("DOC-ROLE", Severity.ERROR, "the server is " + what + ", but the pool is not readOnly, so it expects a primary:"
                + " every write will fail", values("replica", true, "readOnly", false),
                "point the URL at the primary (PostgreSQL: list every host with targetServerType=primary), or set readOnly=true"
                        + " if this pool only reads");
    }
}
