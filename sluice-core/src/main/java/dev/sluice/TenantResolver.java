package dev.sluice;

/**
 * Where {@link TenantDataSource#getConnection()} finds the tenant when no {@link Tenant#scope} is
 * open on the calling thread: typically the request's tenant, read from whatever the web
 * framework keeps per request (a request attribute, a security context, a ThreadLocal of the
 * application's own).
 *
 * <pre>{@code
 * TenantDataSource tenants = TenantDataSource.builder()
 *         .template(template)
 *         .tenantResolver(() -> RequestTenant.current())   // null when the request has none
 *         .build();
 * }</pre>
 *
 * An open {@link Tenant#scope} always wins over the resolver, so a batch job can borrow for a
 * tenant of its choosing inside a request. The resolver is called on every such borrow, on the
 * borrowing thread: it should be as cheap as reading a field.
 */
@FunctionalInterface
public interface TenantResolver {

    /**
     * The current tenant's id, or null if there is none: {@code getConnection()} then fails with
     * {@link FailureReason#NO_TENANT}. An id that does not match {@link Tenant#ID_RULE} fails
     * with {@link FailureReason#INVALID_TENANT}; an exception thrown here fails the borrow with
     * {@link FailureReason#NO_TENANT} and this exception as its cause.
     */
    String currentTenant();
}
