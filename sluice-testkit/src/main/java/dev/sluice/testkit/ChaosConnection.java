package dev.sluice.testkit;

import java.io.InterruptedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Connection} proxy of {@link ChaosDriver}, and the proxies of the statements it
 * creates. Faults are read from the {@link Chaos} control on every operation.
 */
final class ChaosConnection implements InvocationHandler {
    private final Connection real;
    private final Chaos chaos;
    private final Faults base;
    private final Connection proxy;
    private volatile boolean closed;
    private volatile int networkTimeoutMillis;

    private ChaosConnection(Connection real, Chaos chaos, Faults base) {
        this.real = real;
        this.chaos = chaos;
        this.base = base;
        this.proxy = (Connection) Proxy.newProxyInstance(ChaosConnection.class.getClassLoader(), new Class<?>[] {Connection.class}, this);
    }

    static Connection wrap(Connection real, Chaos chaos, Faults base) {
        return new ChaosConnection(real, chaos, base).proxy;
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return objectMethod(self, method, args, real);
        }
        switch (method.getName()) {
            case "close":
                closed = true;
                chaos.signal();
                return delegate(real, method, args);
            case "abort":
                closed = true;
                chaos.signal();
                return delegate(real, method, args);
            case "isClosed":
                return closed || real.isClosed();
            case "setNetworkTimeout":
                return setNetworkTimeout((Executor) args[0], (Integer) args[1]);
            case "getNetworkTimeout":
                checkOpen();
                return networkTimeoutMillis;
            case "isValid":
                return isValid((Integer) args[0], method, args);
            case "createStatement":
            case "prepareStatement":
            case "prepareCall":
                Object statement = delegate(real, method, args);
                return new StatementHandler((Statement) statement, method.getReturnType()).proxy;
            case "unwrap":
                return ((Class<?>) args[0]).isInstance(self) ? self : delegate(real, method, args);
            case "isWrapperFor":
                return ((Class<?>) args[0]).isInstance(self) || (Boolean) delegate(real, method, args);
            default:
                return delegate(real, method, args);
        }
    }

    private Object setNetworkTimeout(Executor executor, int millis) throws SQLException {
        checkOpen();
        if (millis < 0) {
            throw new SQLException("ChaosDriver: network timeout " + millis + " must not be negative", "22023");
        }
        try {
            real.setNetworkTimeout(executor, millis);
        } catch (SQLFeatureNotSupportedException e) {
            // optional in JDBC: the chaos layer honours it for its own delays either way
        }
        networkTimeoutMillis = millis;
        return null;
    }

    private Object isValid(int timeoutSeconds, Method method, Object[] args) throws Throwable {
        if (timeoutSeconds < 0) {
            throw new SQLException("ChaosDriver: isValid timeout " + timeoutSeconds + " must not be negative", "22023");
        }
        if (closed) {
            return false;
        }
        Faults f = chaos.effective(base);
        switch (f.isValidMode()) {
            case FALSE:
                return false;
            case HANG:
                long timeout = shorter(TimeUnit.SECONDS.toNanos(timeoutSeconds), TimeUnit.MILLISECONDS.toNanos(networkTimeoutMillis));
                Chaos.Outcome outcome = chaos.await(base, Faults::isValidDelayNanos, timeout, () -> closed);
                if (outcome != Chaos.Outcome.PROCEED) {
                    return false;
                }
                return delegate(real, method, args);
            default:
                return delegate(real, method, args);
        }
    }

    /**
     * Injects the execute faults, honouring the query timeout, the network timeout, cancel and
     * close. Returns normally when the real execution should go ahead.
     */
    private void beforeExecute(StatementHandler statement) throws SQLException {
        statement.cancelled = false; // a cancel() from now on ends this execution
        chaos.executeStarted();
        int queryTimeoutSeconds = statement.queryTimeoutSeconds;
        long queryNanos = TimeUnit.SECONDS.toNanos(queryTimeoutSeconds);
        long networkNanos = TimeUnit.MILLISECONDS.toNanos(networkTimeoutMillis);
        long timeout = shorter(queryNanos, networkNanos);
        boolean networkFirst = networkNanos > 0 && (queryNanos == 0 || networkNanos <= queryNanos);
        Chaos.Outcome outcome = chaos.await(base, Faults::executeDelayNanos, timeout,
                () -> closed || statement.cancelled || statement.closed);
        switch (outcome) {
            case TIMED_OUT:
                if (networkFirst) {
                    breakConnection();
                    throw new SQLException("ChaosDriver [" + chaos.name() + "]: the network timeout of " + networkTimeoutMillis
                            + " ms expired during execute; the connection is closed", "08006",
                            new SocketTimeoutException("Read timed out"));
                }
                throw new SQLTimeoutException("ChaosDriver [" + chaos.name() + "]: the query timeout of " + queryTimeoutSeconds
                        + " s expired; the statement was canceled", "57014");
            case CANCELLED:
                if (closed) {
                    throw new SQLException("ChaosDriver [" + chaos.name() + "]: the connection was closed during execute", "08003");
                }
                if (statement.closed) {
                    throw new SQLException("ChaosDriver [" + chaos.name() + "]: the statement was closed during execute", "HY008");
                }
                throw new SQLException("ChaosDriver [" + chaos.name() + "]: the statement was canceled", "57014");
            case INTERRUPTED:
                throw new SQLException("ChaosDriver [" + chaos.name() + "]: interrupted during execute", "HY008",
                        new InterruptedIOException("interrupted"));
            default:
                break;
        }
        String failure = chaos.effective(base).rollExecuteFailure();
        if (failure != null) {
            chaos.failureInjected();
            boolean breaks = failure.startsWith("08");
            if (breaks) {
                breakConnection();
            }
            throw new SQLException("ChaosDriver [" + chaos.name() + "]: injected execute failure (" + failure + ")"
                    + (breaks ? "; the connection is closed" : ""), failure);
        }
    }

    /** What a real driver does after an I/O error: the connection is gone. */
    private void breakConnection() {
        closed = true;
        chaos.signal();
        try {
            real.close();
        } catch (SQLException | RuntimeException ignored) {
            // it is being thrown away
        }
    }

    private void checkOpen() throws SQLException {
        if (closed || real.isClosed()) {
            throw new SQLException("ChaosDriver [" + chaos.name() + "]: the connection is closed", "08003");
        }
    }

    /** The {@link Statement}, {@link java.sql.PreparedStatement} or {@link java.sql.CallableStatement} proxy. */
    private final class StatementHandler implements InvocationHandler {
        private final Statement real;
        private final Statement proxy;
        volatile int queryTimeoutSeconds;
        volatile boolean cancelled;
        volatile boolean closed;

        StatementHandler(Statement real, Class<?> type) {
            this.real = real;
            this.proxy = (Statement) Proxy.newProxyInstance(ChaosConnection.class.getClassLoader(), new Class<?>[] {type}, this);
        }

        @Override
        public Object invoke(Object self, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return objectMethod(self, method, args, real);
            }
            String name = method.getName();
            if (name.startsWith("execute")) {
                beforeExecute(this);
                return delegate(real, method, args);
            }
            switch (name) {
                case "setQueryTimeout":
                    Object r = delegate(real, method, args);
                    queryTimeoutSeconds = (Integer) args[0];
                    return r;
                case "cancel":
                    cancelled = true;
                    chaos.signal();
                    return delegate(real, method, args);
                case "close":
                    closed = true;
                    chaos.signal();
                    return delegate(real, method, args);
                case "getConnection":
                    delegate(real, method, args); // throws if closed, as the real one would
                    return ChaosConnection.this.proxy;
                case "unwrap":
                    return ((Class<?>) args[0]).isInstance(self) ? self : delegate(real, method, args);
                case "isWrapperFor":
                    return ((Class<?>) args[0]).isInstance(self) || (Boolean) delegate(real, method, args);
                default:
                    return delegate(real, method, args);
            }
        }
    }

    private static Object objectMethod(Object self, Method method, Object[] args, Object real) {
        switch (method.getName()) {
            case "equals":
                return self == args[0];
            case "hashCode":
                return System.identityHashCode(self);
            default:
                return "Chaos(" + real + ")";
        }
    }

    private static Object delegate(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static long shorter(long a, long b) {
        if (a <= 0) {
            return Math.max(0, b);
        }
        return b <= 0 ? a : Math.min(a, b);
    }
}
