package dev.sluice.spring.boot.apps.tenants;

import dev.sluice.TenantResolver;

/** What a web filter of the application would set per request: the tenant, in a ThreadLocal. */
final class RequestTenant implements TenantResolver {
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    static void set(String tenant) {
        CURRENT.set(tenant);
    }

    static void clear() {
        CURRENT.remove();
    }

    @Override
    public String currentTenant() {
        return CURRENT.get();
    }
}
