package dev.sluice.internal;

import java.lang.management.ManagementFactory;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registration with the platform MBean server for the pool's and the tenant data source's
 * MXBeans. A failure is logged and never fatal: a pool without its MBean still serves.
 */
public final class MBeans {
    private static final System.Logger LOG = System.getLogger("dev.sluice.Pool");

    private MBeans() {
    }

    /** Registers {@code bean} as {@code on}; returns {@code on}, or null if registration failed. */
    public static ObjectName register(Object bean, ObjectName on, String poolName) {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(bean, on);
            return on;
        } catch (InstanceAlreadyExistsException e) {
            LOG.log(System.Logger.Level.WARNING, poolName + ": an MBean for a pool of this name is already registered;"
                    + " give each pool a distinct poolName");
            return null;
        } catch (JMException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, poolName + ": MBean registration failed", e);
            return null;
        }
    }

    public static void unregister(ObjectName on) {
        if (on == null) {
            return;
        }
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(on)) {
                server.unregisterMBean(on);
            }
        } catch (JMException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "MBean unregistration failed: " + e);
        }
    }
}
