package dev.sluice.internal.tenant;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;

/**
 * The connection a SCHEMA-mode tenant holds: the pool's own handle, named for its tenant. The
 * tenant's slot is the pool's to give back (see {@link TenantSlotClaim}), since the borrow can
 * end through the handle itself; closing here ends it too, for a handle that failed to close.
 * A dynamic proxy, not a
 * second hand-written delegate of every Connection method: tenant borrows pay one reflective
 * call per method, the single-pool path does not see this class at all.
 */
final class TenantConnection implements InvocationHandler {
    private final Connection handle;
    private final TenantSlotClaim claim;

    private TenantConnection(Connection handle, TenantSlotClaim claim) {
        this.handle = handle;
        this.claim = claim;
    }

    static Connection wrap(Connection handle, TenantSlotClaim claim) {
        return (Connection) Proxy.newProxyInstance(TenantConnection.class.getClassLoader(), new Class<?>[] {Connection.class},
                new TenantConnection(handle, claim));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        int arity = args == null ? 0 : args.length;
        if (arity == 0 && name.equals("toString")) {
            return "TenantConnection[" + claim.tenant() + ", " + handle + "]";
        }
        if (arity == 0 && name.equals("hashCode")) {
            return System.identityHashCode(proxy);
        }
        if (arity == 1 && name.equals("equals")) {
            return proxy == args[0];
        }
        if (arity == 0 && name.equals("isClosed") && claim.isEnded()) {
            return true;
        }
        boolean ends = arity == 0 && name.equals("close") || arity == 1 && name.equals("abort");
        try {
            return method.invoke(handle, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            if (ends) {
                claim.borrowEnded();
            }
        }
    }
}
