package dev.sluice.cli;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JVMs on this machine that this user may attach to, through the Attach API (module
 * {@code jdk.attach}, in every JDK; the CLI jar runs on the class path, where a JDK resolves the
 * module by default). A JRE without it gets a clear line pointing at {@code --jmx} instead.
 */
final class LocalJvms {
    /** A JVM as the Attach API lists it: its pid and what it runs (main class or jar, and arguments). */
    record Jvm(long pid, String command) {
    }

    private LocalJvms() {
    }

    /** Every attachable JVM but this one. */
    static List<Jvm> list() throws CannotPatrol {
        long self = ProcessHandle.current().pid();
        List<Jvm> jvms = new ArrayList<>();
        try {
            for (VirtualMachineDescriptor d : VirtualMachine.list()) {
                long pid = pidOf(d);
                if (pid > 0 && pid != self) {
                    jvms.add(new Jvm(pid, d.displayName()));
                }
            }
        } catch (LinkageError noAttachModule) {
            throw withoutAttach(noAttachModule);
        }
        return jvms;
    }

    /** The JVM with {@code pid}, if it is one this user may attach to. */
    static Optional<Jvm> find(long pid) throws CannotPatrol {
        return list().stream().filter(j -> j.pid() == pid).findFirst();
    }

    /**
     * Attaches to {@code jvm}, starts its local JMX agent (or finds the one running) and returns
     * the agent's address, a JMX service URL that only this machine can connect to.
     */
    static String managementAddress(Jvm jvm) throws CannotPatrol {
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(jvm.pid()));
            try {
                return vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
        } catch (AttachNotSupportedException | IOException e) {
            throw new CannotPatrol("could not attach to pid " + jvm.pid() + ": " + e.getMessage()
                    + " (a JVM started with -XX:+DisableAttachMechanism, or by another user, refuses)", e);
        } catch (LinkageError noAttachModule) {
            throw withoutAttach(noAttachModule);
        }
    }

    private static long pidOf(VirtualMachineDescriptor d) {
        try {
            return Long.parseLong(d.id());
        } catch (NumberFormatException notAPid) {
            return -1;
        }
    }

    private static CannotPatrol withoutAttach(LinkageError e) {
        return new CannotPatrol("this Java runtime has no Attach API (module jdk.attach): run the CLI on a JDK,"
                + " or start the application with a JMX port and use --jmx URL", e);
    }
}
