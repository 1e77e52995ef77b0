package dev.sluice.spring.boot;

/**
 * Tenants are enabled but the context holds no single {@link dev.sluice.TenantResolver} bean to
 * name the tenant of a borrow.
 */
final class MissingTenantResolverException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final long found;

    MissingTenantResolverException(long found) {
        super(found == 0
                ? SluiceTenantDataSourceConfiguration.ENABLED + "=true needs a bean of type dev.sluice.TenantResolver to tell"
                        + " each borrow's tenant, and the application context has none"
                : SluiceTenantDataSourceConfiguration.ENABLED + "=true needs one bean of type dev.sluice.TenantResolver, and the"
                        + " application context has " + found + " (mark the one to use @Primary)");
        this.found = found;
    }

    /** How many TenantResolver beans the context holds: 0, or more than one without a primary. */
    long found() {
        return found;
    }
}
