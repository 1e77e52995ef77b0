package dev.sluice.doctor.internal;

import static dev.sluice.doctor.internal.Findings.values;

import dev.sluice.doctor.Severity;

/**
 * DOC-MARIADB: the limits MariaDB and MySQL put on one user and one client host.
 *
 * <p>max_user_connections (the user's own limit if one is set): every instance connects as the
 * same user, so the fleet above it is refused, with an error the application sees as a failed
 * connect.
 *
 * <p>max_connect_errors: after that many connects from one host that fail mid-handshake (a
 * network blip, a timeout) with none succeeding, the server blocks the host until FLUSH HOSTS.
 * A refill of the pool through a flaky network makes up to maximumPoolSize such attempts a
 * round; below {@link #CONNECT_ERROR_ROUNDS} rounds' worth is a warning. Loopback clients are
 * never blocked, so it is checked only for a remote server.
 */
final class MariaDbLimitsRule implements Rule {
    static final int CONNECT_ERROR_ROUNDS = 10;

    @Override
    public void check(CheckInput in, ServerFacts s, Findings out) {
        if (s.product() != ServerFacts.Product.MARIADB && s.product() != ServerFacts.Product.MYSQL) {
            return;
        }
        long fleet = in.fleetConnections();
        Long userLimit = s.maxUserConnections();
        if (userLimit != null && userLimit > 0 && fleet > userLimit) {
            out.add("DOC-MARIADB", Severity.ERROR, in.instances() + " × maximumPoolSize=" + in.config().maximumPoolSize() + " = "
                    + fleet + " connections as " + s.user() + ", but max_user_connections=" + userLimit
                    + " for this user: the last connections will be refused",
                    values("instances", in.instances(), "maximumPoolSize", in.config().maximumPoolSize(), "fleet", fleet,
                            "max_user_connections", userLimit),
                    "lower maximumPoolSize to at most " + Math.max(1, userLimit / in.instances()) + " per instance, or raise the limit"
                            + " (ALTER USER ... WITH MAX_USER_CONNECTIONS " + fleet + ")");
        }
        Long errors = s.maxConnectErrors();
        long wanted = (long) CONNECT_ERROR_ROUNDS * in.config().maximumPoolSize();
        if (errors != null && Boolean.FALSE.equals(s.loopback()) && errors < wanted) {
            out.add("DOC-MARIADB", Severity.WARNING, "max_connect_errors=" + errors + " is below " + CONNECT_ERROR_ROUNDS
                    + " refills of a pool of " + in.config().maximumPoolSize() + ": a flaky network can get this host blocked"
                    + " until someone runs FLUSH HOSTS",
                    values("max_connect_errors", errors, "maximumPoolSize", in.config().maximumPoolSize(), "wanted", wanted),
                    "SET GLOBAL max_connect_errors=" + Math.max(wanted, 10_000) + " (and in the server's configuration file)");
        }
    }
}
