package dev.sluice;

/**
 * Which PgBouncer pool mode sits between the pool and PostgreSQL. In transaction mode each
 * transaction may run on a different server connection, so anything a session keeps between
 * transactions (named prepared statements, {@code SET} parameters, the search path) is lost or,
 * worse, lands on another client's session.
 */
public enum PgBouncerMode {
    /** No PgBouncer, or one the pool need not know about. */
    OFF,
    /**
     * Transaction pooling: pgjdbc gets {@code prepareThreshold=0} (unless set), session state that
     * cannot survive is refused at build, session resets on return are skipped, and a connection
     * that reports a lost or duplicate prepared statement (SQLState 26000, 42P05) is evicted.
     */
    TRANSACTION,
    /** Session pooling: a client keeps its server connection, so nothing changes; stated for the record. */
    SESSION
}
