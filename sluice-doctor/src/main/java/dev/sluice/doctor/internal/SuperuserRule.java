package dev.sluice.doctor.internal;

import static dev.sluice.doctor.internal.Findings.values;

import dev.sluice.doctor.Severity;

/**
 * DOC-SUPERUSER: the check connected as a superuser. A warning and never more, because it is
 * about how the check was run; but if the application's pool uses the same role, it can take the
 * slots PostgreSQL reserves for an administrator fixing an outage, and it is not held by
 * max_user_connections or read_only on MariaDB.
 */
final class SuperuserRule implements Rule {
    @Override
    public void check(CheckInput in, ServerFacts s, Findings out) {
        if (!Boolean.TRUE.equals(s.superuser())) {
            return;
        }
        out.add("DOC-SUPERUSER", Severity.WARNING, "connected as " + s.user() + ", a superuser: if the application's pool uses it too,"
                + " it can take the connections reserved for administrators and bypasses the server's per-user limits",
                values("user", s.user(), "superuser", true),
                "give the application a role of its own without superuser rights, and run the check as that role");
    }
}
