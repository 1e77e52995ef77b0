package dev.sluice.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that runs a {@link FaultProxy} in front of a target (a database) for a
 * test class, and puts it back to pass-through between tests.
 *
 * <p>Register it with {@link org.junit.jupiter.api.extension.RegisterExtension @RegisterExtension}:
 * on a {@code static} field the proxy is started before all tests of the class and closed after
 * them (connections and pools may outlive a test); on an instance field it is started before and
 * closed after each test. Either way every test starts with all faults cleared
 * ({@link FaultProxy#passThrough()}), so a test that breaks the network cannot break the next one.
 *
 * <pre>{@code
 * class OutageTest {
 *     @RegisterExtension
 *     static final FaultProxyExtension DB = FaultProxyExtension.forTarget("127.0.0.1", 5432);
 *
 *     @Test
 *     void failsFastWhileTheDatabaseIsDown() throws Exception {
 *         String url = "jdbc:postgresql://" + DB.proxy().hostAndPort() + "/test";
 *         try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(url)
 *                 .username("postgres").build())) {
 *             DB.proxy().refuse();
 *             ...
 *         }
 *     }
 *
 *     @Test
 *     void proxyAsParameter(FaultProxy proxy) {   // also injected into test and lifecycle methods
 *         proxy.blackhole();
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>A {@link FaultProxy} parameter is resolved to this extension's proxy; with two such
 * extensions on one class, use the fields instead (JUnit refuses competing resolvers). Tests that
 * share a static proxy must not run in parallel with each other: its faults are global.
 *
 * <p>JUnit's {@code junit-jupiter-api} is an optional dependency of the testkit: projects using
 * this class have it on their test class path already.
 */
public final class FaultProxyExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private final Supplier<InetSocketAddress> target;
    private volatile FaultProxy proxy;
    /** The unique id of the context (class or test) that started the proxy and will close it. */
    private volatile String owner;

    private FaultProxyExtension(Supplier<InetSocketAddress> target) {
        this.target = target;
    }

    /** An extension whose proxy forwards to {@code host:port}. */
    public static FaultProxyExtension forTarget(String host, int port) {
        Objects.requireNonNull(host, "host");
        return new FaultProxyExtension(() -> new InetSocketAddress(host, port));
    }

    /**
     * An extension whose target is looked up when the proxy starts: for a target that is itself
     * started by the test class (a server in a static field initialised earlier, say).
     */
    public static FaultProxyExtension forTarget(Supplier<InetSocketAddress> target) {
        return new FaultProxyExtension(Objects.requireNonNull(target, "target"));
    }

    /**
     * The running proxy.
     *
     * @throws IllegalStateException outside the extension's lifecycle (before it started or after it closed)
     */
    public FaultProxy proxy() {
        FaultProxy p = proxy;
        if (p == null) {
            throw new IllegalStateException("the fault proxy is not running: use it from a test or a lifecycle method "
                    + "(@BeforeAll needs the extension on a static field)");
        }
        return p;
    }

    /** The proxy's host, for URLs. */
    public String host() {
        return proxy().host();
    }

    /** The proxy's port. */
    public int port() {
        return proxy().port();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startIfNeeded(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!startIfNeeded(context)) {
            proxy.passThrough();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!closeIfOwner(context)) {
            FaultProxy p = proxy;
            if (p != null) {
                p.passThrough();
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeIfOwner(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == FaultProxy.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return proxy();
    }

    private boolean startIfNeeded(ExtensionContext context) {
        if (proxy != null) {
            return false;
        }
        InetSocketAddress t = Objects.requireNonNull(target.get(), "the target supplier returned null");
        try {
            proxy = FaultProxy.start(t);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a fault proxy for " + t, e);
        }
        owner = context.getUniqueId();
        return true;
    }

    private boolean closeIfOwner(ExtensionContext context) {
        FaultProxy p = proxy;
        if (p == null || !context.getUniqueId().equals(owner)) {
            return false;
        }
        proxy = null;
        owner = null;
        p.close();
        return true;
    }

    @Override
    public String toString() {
        FaultProxy p = proxy;
        return "FaultProxyExtension[" + (p == null ? "not running" : p.toString()) + "]";
    }
}
