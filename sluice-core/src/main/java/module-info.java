/**
 * Sluice: a governed JDBC connection pool. Only {@code dev.sluice} is API; everything under
 * {@code dev.sluice.internal} may change in any release and is closed to other modules.
 */
module dev.sluice.core {
    requires transitive java.sql;
    // Both are modules of the JDK itself, not third-party dependencies: JMX for the opt-in MXBean,
    // Flight Recorder for the pool's events (event classes must be loadable even when no one records).
    requires java.management;
    requires jdk.jfr;
    // Optional: on Unix JDKs it tells adaptive sizing how many file descriptors the process has left.
    requires static jdk.management;

    exports dev.sluice;

    uses java.sql.Driver;
}
