package dev.sluice.internal.tenant;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The connection a SCHEMA-mode tenant holds: the pool's own handle, plus the tenant's slot,
 * given back exactly once when the connection is closed (or aborted). A dynamic proxy, not a
 * second hand-written delegate of every Connection method: tenant borrows pay one reflective
 * call per method, the single-pool path does not see this class at all.
 */
final class TenantConnection implements InvocationHandler {
    private final Connection handle;
    private final String tenant;
    private final Runnable releaseSlot;
    private final AtomicBoolean released = new AtomicBoolean();

    private TenantConnection(Connection handle, String tenant, Runnable releaseSlot) {
        this.handle = handle;
        this.tenant = tenant;
        this.releaseSlot = releaseSlot;
    }

    static Connection wrap(Connection handle, String tenant, Runnable releaseSlot) {
        return (Connection) Proxy.newProxyInstance(TenantConnection.class.getClassLoader(), new Class<?>[] {Connection.class},
                new TenantConnection(handle, tenant, releaseSlot));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        int arity = args == null ? 0 : args.length;
        if (arity == 0 && name.equals("toString")) {
            return "TenantConnection[" + tenant + ", " + handle + "]";
        }
        if (arity == 0 && name.equals("hashCode")) {
            return System.identityHashCode(proxy);
        }
        if (arity == 1 && name.equals("equals")) {
            return proxy == args[0];
        }
        if (arity == 0 && name.equals("isClosed") && released.get()) {
            return true;
        }
        boolean ends = arity == 0 && name.equals("close") || arity == 1 && name.equals("abort");
        try {
            return method.invoke(handle, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            if (ends && released.compareAndSet(false, true)) {
                releaseSlot.run();
            }
        }
    }
}
