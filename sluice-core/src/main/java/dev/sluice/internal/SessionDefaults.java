package dev.sluice.internal;

import java.util.Objects;

/**
 * The session state a connection returns to after each borrow: the pool's own settings as applied
 * at creation, and what the driver reported for the rest. Immutable, and shared by the connections
 * of a pool whose defaults are equal, which is nearly always all of them: seven fields in each
 * pooled connection were a tenth of its entry.
 *
 * @param networkTimeout  -1 when the driver does not support network timeouts
 * @param transactionPooled behind PgBouncer in transaction mode: isolation, catalog and schema are
 *     not restored on return, because pgjdbc restores them with a session-level SET that would run
 *     on whichever server connection PgBouncer lends next, changing another client's session
 * @param statementLimit  how the server limits statement time: {@link QueryDeadline#LIMIT_NONE} and its siblings
 */
record SessionDefaults(boolean autoCommit, int isolation, boolean readOnly, String catalog, String schema, int networkTimeout,
        boolean transactionPooled, byte statementLimit) {

    /** The same defaults for a driver found unable to set network timeouts. */
    SessionDefaults withoutNetworkTimeout() {
        return networkTimeout < 0 ? this
                : new SessionDefaults(autoCommit, isolation, readOnly, catalog, schema, -1, transactionPooled, statementLimit);
    }

    /**
     * Written out rather than generated: a record's generated equals is bootstrapped through
     * invokedynamic on its first call, which the first connection of the first pool in a JVM would
     * pay for (over a hundred milliseconds of start-up on 2 cores).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof SessionDefaults d && autoCommit == d.autoCommit && isolation == d.isolation && readOnly == d.readOnly
                && Objects.equals(catalog, d.catalog) && Objects.equals(schema, d.schema) && networkTimeout == d.networkTimeout
                && transactionPooled == d.transactionPooled && statementLimit == d.statementLimit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(catalog, schema, isolation, networkTimeout);
    }

    /** {@code candidate}, or {@code shared} when they are equal, so equal defaults are one object. */
    static SessionDefaults share(SessionDefaults candidate, SessionDefaults shared) {
        return Objects.equals(candidate, shared) ? shared : candidate;
    }
}
