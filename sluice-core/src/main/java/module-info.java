/**
 * Sluice: a governed JDBC connection pool. Only {@code dev.sluice} is API; everything under
 * {@code dev.sluice.internal} may change in any release and is closed to other modules.
 */
module dev.sluice.core {
    requires transitive java.sql;
    requires static java.management;

    exports dev.sluice;

    uses java.sql.Driver;
}
