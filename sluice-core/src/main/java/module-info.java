/**
 * Sluice: a governed JDBC connection pool. Only {@code dev.sluice} is API; everything under
 * {@code dev.sluice.internal} may change in any release and is closed to other modules.
 */
module dev.sluice.core {
    requires transitive java.sql;
    requires static java.management;
    // Flight Recorder is part of every JDK image; the pool's JFR events and its tests read it.
    requires static jdk.jfr;

    exports dev.sluice;

    uses java.sql.Driver;
}
