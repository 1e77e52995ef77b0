package dev.sluice.cli;

import java.io.Closeable;
import java.io.IOException;
import java.net.MalformedURLException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The MBean server of a running JVM, reached by pid through the Attach API or at a JMX service
 * URL, and the Sluice pools registered in it.
 */
final class JmxTarget implements Closeable {
    /** How pools register: {@code dev.sluice:type=Pool,name=<poolName>}. */
    static final ObjectName POOLS = poolPattern();
    /**
     * Bounds the connect: an RMI connect to a host that drops packets would otherwise wait for the
     * operating system's TCP timeout, minutes, with the user looking at nothing.
     */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Bounds every call: RMI waits for a reply forever, so a frozen JVM (stopped, or stuck in a
     * long pause) would hang the patrol past its --duration and a deploy script with it.
     */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final JMXConnector connector;
    private final MBeanServerConnection server;
    private final String description;
    private final ExecutorService calls = daemonExecutor("sluice-patrol-call");
    /** The attached process, or null for a JMX URL (whose process may be on another host). */
    private final ProcessHandle process;

    private JmxTarget(JMXConnector connector, MBeanServerConnection server, String description, ProcessHandle process) {
        this.connector = connector;
        this.server = server;
        this.description = description;
        this.process = process;
    }

    /** Attaches to the JVM with {@code pid} on this machine. */
    static JmxTarget attach(long pid) throws CannotPatrol {
        if (ProcessHandle.of(pid).isEmpty()) {
            throw new CannotPatrol("no process with pid " + pid + " (run 'sluice patrol' to list the JVMs with pools)");
        }
        if (pid == ProcessHandle.current().pid()) {
            throw new CannotPatrol("pid " + pid + " is this patrol itself");
        }
        LocalJvms.Jvm jvm;
        String address;
        try {
            // Only a listed JVM is attached to: on Linux, attaching to a process that is not a
            // JVM sends it SIGQUIT, which would kill it.
            jvm = LocalJvms.find(pid).orElseThrow(() -> new CannotPatrol("pid " + pid
                    + " is not a Java VM this user can attach to (run 'sluice patrol' to list them, or use --jmx URL)"));
            address = LocalJvms.managementAddress(jvm);
        } catch (LinkageError noAttachModule) {
            throw new CannotPatrol("this Java runtime has no Attach API (module jdk.attach): run the CLI on a JDK,"
                    + " or use --jmx URL", noAttachModule);
        }
        return open(address, "pid " + pid + " (" + shortCommand(jvm.command()) + ")", ProcessHandle.of(pid).orElse(null));
    }

    /** Connects to a JMX agent, e.g. {@code service:jmx:rmi:///jndi/rmi://127.0.0.1:9010/jmxrmi}. */
    static JmxTarget connect(String url) throws CannotPatrol {
        return open(url, url, null);
    }

    private static JmxTarget open(String url, String description, ProcessHandle process) throws CannotPatrol {
        JMXServiceURL serviceUrl;
        try {
            serviceUrl = new JMXServiceURL(url);
        } catch (MalformedURLException e) {
            throw new CannotPatrol("'" + url + "' is not a JMX service URL (" + e.getMessage()
                    + "); write it as service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi", e);
        }
        ExecutorService connecting = daemonExecutor("sluice-patrol-connect");
        try {
            Future<JMXConnector> connect = connecting.submit(() -> JMXConnectorFactory.connect(serviceUrl, Map.of()));
            JMXConnector connector = connect.get(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return new JmxTarget(connector, connector.getMBeanServerConnection(), description, process);
        } catch (TimeoutException e) {
            throw new CannotPatrol("could not connect to " + description + " within "
                    + DurationText.format(CONNECT_TIMEOUT), e);
        } catch (ExecutionException e) {
            throw new CannotPatrol("could not connect to " + description + ": " + rootMessage(e.getCause()), e.getCause());
        } catch (IOException e) {
            throw new CannotPatrol("could not connect to " + description + ": " + rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CannotPatrol("interrupted while connecting to " + description, e);
        } finally {
            connecting.shutdownNow();
        }
    }

    /** A question to the JVM's MBean server. */
    @FunctionalInterface
    interface Call<T> {
        T ask(MBeanServerConnection server) throws IOException, JMException;
    }

    /** The names of the Sluice pools registered now, sorted. */
    Set<ObjectName> pools() throws IOException, CannotPatrol {
        try {
            return answer(s -> new TreeSet<>(s.queryNames(POOLS, null)));
        } catch (JMException cannotHappen) {
            throw new IOException(cannotHappen);
        }
    }

    /**
     * The answer to {@code call}, or CannotPatrol when the JVM does not give it within 15 s. The
     * call's thread is left behind, waiting: RMI offers no way to cancel a call in flight.
     */
    <T> T answer(Call<T> call) throws IOException, JMException, CannotPatrol {
        Future<T> answer = calls.submit(() -> call.ask(server));
        try {
            return answer.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new CannotPatrol(description + " did not answer within " + DurationText.format(ANSWER_TIMEOUT)
                    + " (stopped, or in a long pause?)", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof JMException jm) {
                throw jm;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CannotPatrol("interrupted while reading " + description, e);
        }
    }

    /** Which JVM this is, for the patrol's header and messages: "pid 1234 (app.jar)" or the URL. */
    String description() {
        return description;
    }

    /**
     * Whether the attached process is known to have exited; false for a JMX URL, which cannot tell.
     * Asked after the connection was lost: a JVM that is exiting drops its connections a moment
     * before the operating system reports it gone, so this waits up to a second for that.
     */
    boolean exited() {
        if (process == null) {
            return false;
        }
        try {
            process.onExit().get(1, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException stillRunning) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /**
     * Closes the connection without waiting long: closing says goodbye to the JVM over RMI, and a
     * frozen JVM never answers, which would hold the patrol's exit for minutes.
     */
    @Override
    public void close() {
        calls.shutdownNow();
        ExecutorService closing = daemonExecutor("sluice-patrol-close");
        try {
            closing.submit(() -> {
                try {
                    connector.close();
                } catch (IOException | RuntimeException alreadyGone) {
                    // The JVM went away or closed the connection: nothing is left to release on this side.
                }
            }).get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException unanswered) {
            // Left to the daemon thread; the connection dies with this process or the other.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closing.shutdown();
        }
    }

    /** The innermost message: RMI wraps the cause that says what happened (connection refused) twice. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** The main class or jar without its directory, and the arguments: what the user recognises. */
    static String shortCommand(String command) {
        if (command == null || command.isBlank()) {
            return "a JVM";
        }
        String[] parts = command.strip().split(" ", 2);
        String main = parts[0].substring(parts[0].lastIndexOf('/') + 1);
        return parts.length == 1 ? main : main + " " + parts[1];
    }

    private static ExecutorService daemonExecutor(String threadName) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    private static ObjectName poolPattern() {
        try {
            return new ObjectName("dev.sluice:type=Pool,*");
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }
}
