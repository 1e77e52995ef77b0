package dev.sluice.testkit;

import dev.sluice.JdbcUrls;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDBC driver that wraps a real one and injects faults: slow, hanging or failing connects, slow,
 * hanging or failing statement executions, and a broken {@link Connection#isValid(int)} — while
 * honouring every timeout the way a real driver must. A test double that ignores timeouts makes a
 * suite look stable while production is not; this one does not.
 *
 * <h2>URL syntax</h2>
 * <pre>
 * jdbc:chaos:&lt;real URL&gt;                          no faults (until set at runtime)
 * jdbc:chaos:&lt;key=value;key=value;...&gt;:&lt;real URL&gt;
 * </pre>
 * The real URL is everything from the first {@code :jdbc:} on (so it is the part that starts with
 * {@code jdbc:}); the parameters before it are separated by {@code ;} and stripped before the real
 * driver ({@code DriverManager.getDriver(realUrl)}) sees the URL. For example
 * {@code jdbc:chaos:name=orders;connectDelay=2s;failExecute=0.1:jdbc:postgresql://127.0.0.1/test}.
 *
 * <table>
 * <caption>Parameters</caption>
 * <tr><th>key</th><th>value</th><th>effect</th></tr>
 * <tr><td>{@code name}</td><td>a name</td><td>the {@link Chaos} control the connections answer to
 *     ({@link #control(String)}); default {@value #DEFAULT_NAME}</td></tr>
 * <tr><td>{@code connectDelay}</td><td>duration: {@code 250ms}, {@code 2s}, {@code 1m},
 *     {@code PT0.5S}; a bare number is milliseconds</td><td>each connect takes this long first</td></tr>
 * <tr><td>{@code hangConnect}</td><td>{@code true}/{@code false}</td><td>each connect blocks until the login timeout</td></tr>
 * <tr><td>{@code failConnect}</td><td>probability 0–1 ({@code true} = 1)</td><td>connects fail with {@code failConnectState}</td></tr>
 * <tr><td>{@code failConnectState}</td><td>SQLState</td><td>default {@code 08001} (refused, caused by a
 *     {@link ConnectException}); e.g. {@code 28P01} for bad credentials</td></tr>
 * <tr><td>{@code executeDelay}</td><td>duration</td><td>each {@code execute*} call takes this long first</td></tr>
 * <tr><td>{@code hangExecute}</td><td>{@code true}/{@code false}</td><td>each {@code execute*} blocks until a timeout, cancel or close</td></tr>
 * <tr><td>{@code failExecute}</td><td>probability 0–1</td><td>executions fail with {@code failExecuteState}</td></tr>
 * <tr><td>{@code failExecuteState}</td><td>SQLState</td><td>default {@code 08006} (connection failure); a class-08
 *     state also closes the connection</td></tr>
 * <tr><td>{@code isValid}</td><td>{@code ok}, {@code false}, {@code hang}</td><td>see {@link Chaos.IsValid}</td></tr>
 * </table>
 * An unknown key or a bad value fails the connect with SQLState {@code 08001} and a message naming it.
 * The same faults can be set and changed at runtime through {@link #control(String)}; see
 * {@link Chaos} for how the two layers combine.
 *
 * <h2>Timeouts honoured</h2>
 * <ul>
 *   <li><b>Login timeout</b>: a delayed or hanging connect ends, at the latest, at the connection
 *       property {@code loginTimeout} (seconds) or {@code connectTimeout} (seconds; milliseconds
 *       for {@code jdbc:mariadb:}/{@code jdbc:mysql:} URLs), whichever is shorter — also read from
 *       the real URL's query string — else at {@link DriverManager#getLoginTimeout()}; with
 *       {@code SQLException} SQLState {@code 08001}, caused by a {@link SocketTimeoutException}.
 *       With no timeout at all a hanging connect blocks until interrupted, like a real one.
 *   <li><b>Network timeout</b> ({@link Connection#setNetworkTimeout}): bounds every delayed or
 *       hanging execution and {@code isValid}. When it expires during an execution the
 *       connection is closed (as the JDBC specification requires) and the call fails with
 *       SQLState {@code 08006}, caused by a {@link SocketTimeoutException}. The setting is also
 *       passed to the real connection; drivers that do not support it (it is optional) are fine.
 *   <li><b>Query timeout</b> ({@link java.sql.Statement#setQueryTimeout}): bounds delayed and
 *       hanging executions with a {@link java.sql.SQLTimeoutException}, SQLState {@code 57014};
 *       the connection stays usable.
 *   <li>{@link java.sql.Statement#cancel()}, {@link Connection#close()} and
 *       {@link Connection#abort} from another thread end a waiting execution at once; an interrupt
 *       ends any injected wait.
 * </ul>
 *
 * <h2>Example</h2>
 * <pre>{@code
 * // A pool whose connects hang: the pool must give up at its own deadline.
 * ChaosDriver.control("hang").hangConnect(true);
 * SluiceConfig config = SluiceConfig.builder()
 *         .jdbcUrl("jdbc:chaos:name=hang:jdbc:h2:mem:app")
 *         .connectionTimeout(Duration.ofSeconds(1))
 *         .build();
 * assertThrows(SQLException.class, () -> new SluiceDataSource(config));  // in about 1 s, not never
 * ChaosDriver.control("hang").reset();                                     // releases the hung connect
 * }</pre>
 *
 * <p>Connections, statements, prepared and callable statements are {@link java.lang.reflect.Proxy
 * dynamic proxies} over the real objects (clarity over speed: this is a test tool); everything not
 * described here is delegated unchanged. {@code unwrap} reaches the real objects. Result sets and
 * metadata are the real driver's.
 *
 * <p>The driver registers itself with {@link DriverManager} when the class is loaded, and is
 * listed in {@code META-INF/services/java.sql.Driver}, so having the testkit on the class path is
 * enough.
 */
public final class ChaosDriver implements Driver {

    /** The URL prefix this driver accepts. */
    public static final String PREFIX = "jdbc:chaos:";
    /** The control name of chaos URLs without {@code name=}. */
    public static final String DEFAULT_NAME = "default";

    private static final ConcurrentMap<String, Chaos> CONTROLS = new ConcurrentHashMap<>();
    private static final Pattern VALID_NAME = Pattern.compile("[^;:=\\s]+");

    static {
        try {
            DriverManager.registerDriver(new ChaosDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * For {@link ServiceLoader} and direct use ({@code new ChaosDriver().connect(url, props)});
     * every instance behaves the same, as the controls are shared. Loading the class registers
     * one with {@link DriverManager}.
     */
    public ChaosDriver() {
        // nothing: the controls are shared
    }

    /**
     * The runtime control of the connections of chaos URLs with {@code name=<name>}, created on
     * first use (before or after the first connect, either way).
     *
     * @throws IllegalArgumentException if the name is empty or holds {@code ;}, {@code :}, {@code =} or blanks
     */
    public static Chaos control(String name) {
        Objects.requireNonNull(name, "name");
        if (!VALID_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("ChaosDriver control name '" + name + "' must be non-empty, without ';', ':', '=' or blanks");
        }
        return CONTROLS.computeIfAbsent(name, Chaos::new);
    }

    /** The control of chaos URLs without {@code name=}: {@code control("default")}. */
    public static Chaos control() {
        return control(DEFAULT_NAME);
    }

    /** {@link Chaos#reset()} on every control: all connections back to the faults in their URLs. */
    public static void resetAll() {
        for (Chaos c : CONTROLS.values()) {
            c.reset();
        }
    }

    /**
     * Builds a chaos URL: {@code url(realUrl, "name=x", "connectDelay=2s")} gives
     * {@code jdbc:chaos:name=x;connectDelay=2s:<realUrl>}.
     */
    public static String url(String realUrl, String... parameters) {
        Objects.requireNonNull(realUrl, "realUrl");
        if (!realUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("the real URL must start with jdbc:, got " + realUrl);
        }
        return parameters.length == 0 ? PREFIX + realUrl : PREFIX + String.join(";", parameters) + ":" + realUrl;
    }

    // ------------------------------------------------------------------------------------------
    // Driver

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null; // as the Driver contract asks: not ours
        }
        Properties props = info == null ? new Properties() : info;
        ChaosUrl parsed = ChaosUrl.parse(url);
        Driver real = realDriver(parsed.realUrl);
        Chaos chaos = control(parsed.name);
        chaos.connectStarted();
        boolean opened = false;
        try {
            Faults base = parsed.faults;
            long timeoutMillis = loginTimeoutMillis(parsed.realUrl, props);
            long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            Chaos.Outcome outcome = chaos.await(base, Faults::connectDelayNanos, timeoutNanos, () -> false);
            switch (outcome) {
                case TIMED_OUT:
                    SocketTimeoutException cause = new SocketTimeoutException("connect timed out");
                    throw new SQLException("ChaosDriver [" + chaos.name() + "]: the connect timed out after " + timeoutMillis
                            + " ms (login timeout)", "08001", cause);
                case INTERRUPTED:
                    throw new SQLException("ChaosDriver [" + chaos.name() + "]: interrupted while connecting", "08001",
                            new InterruptedIOException("interrupted"));
                default:
                    break;
            }
            String failure = chaos.effective(base).rollConnectFailure();
            if (failure != null) {
                chaos.failureInjected();
                throw connectFailure(chaos, failure, props);
            }
            Connection conn = real.connect(parsed.realUrl, props);
            if (conn == null) {
                throw new SQLException("ChaosDriver [" + chaos.name() + "]: the driver " + real.getClass().getName()
                        + " does not accept the wrapped URL", "08001");
            }
            opened = true;
            return ChaosConnection.wrap(conn, chaos, base);
        } finally {
            chaos.connectEnded(opened);
        }
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return new DriverPropertyInfo[0];
        }
        ChaosUrl parsed = ChaosUrl.parse(url);
        return realDriver(parsed.realUrl).getPropertyInfo(parsed.realUrl, info);
    }

    @Override
    public int getMajorVersion() {
        return 0;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return Logger.getLogger("dev.sluice.testkit");
    }

    // ------------------------------------------------------------------------------------------
    // Internals

    private static SQLException connectFailure(Chaos chaos, String state, Properties props) {
        String prefix = "ChaosDriver [" + chaos.name() + "]: injected connect failure (" + state + "): ";
        if (state.startsWith("28")) {
            String user = props.getProperty("user");
            return new SQLException(prefix + "password authentication failed for user \"" + (user == null ? "" : user) + "\"", state);
        }
        if (state.equals("08001") || state.equals("08004")) {
            return new SQLException(prefix + "connection refused", state, new ConnectException("Connection refused"));
        }
        return new SQLException(prefix + "connect failed", state);
    }

    private static Driver realDriver(String realUrl) throws SQLException {
        if (realUrl.startsWith(PREFIX)) {
            throw new SQLException("ChaosDriver: chaos URLs cannot be nested", "08001");
        }
        try {
            return DriverManager.getDriver(realUrl);
        } catch (SQLException notVisible) {
            // DriverManager hides drivers from class loaders other than ours (application servers,
            // fat jars): look for one through the context class loader before giving up
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            for (Driver d : ServiceLoader.load(Driver.class, cl)) {
                if (!(d instanceof ChaosDriver) && d.acceptsURL(realUrl)) {
                    return d;
                }
            }
            throw new SQLException("ChaosDriver: no suitable driver for the wrapped URL " + JdbcUrls.redact(realUrl), "08001", notVisible);
        }
    }

    /** The login timeout in milliseconds for this connect, 0 for none. */
    static long loginTimeoutMillis(String realUrl, Properties props) {
        boolean connectTimeoutInMillis = realUrl.startsWith("jdbc:mariadb:") || realUrl.startsWith("jdbc:mysql:");
        long best = 0;
        best = shorter(best, seconds(props.getProperty("loginTimeout")));
        best = shorter(best, seconds(urlParameter(realUrl, "loginTimeout")));
        String[] connectTimeouts = {props.getProperty("connectTimeout"), urlParameter(realUrl, "connectTimeout")};
        for (String ct : connectTimeouts) {
            best = shorter(best, connectTimeoutInMillis ? millis(ct) : seconds(ct));
        }
        if (best == 0) {
            best = TimeUnit.SECONDS.toMillis(Math.max(0, DriverManager.getLoginTimeout()));
        }
        return best;
    }

    private static long shorter(long a, long b) {
        if (a <= 0) {
            return Math.max(0, b);
        }
        return b <= 0 ? a : Math.min(a, b);
    }

    private static long seconds(String v) {
        if (v == null) {
            return 0;
        }
        try {
            return (long) (Double.parseDouble(v.trim()) * 1000);
        } catch (NumberFormatException e) {
            return 0; // the real driver will complain about it
        }
    }

    private static long millis(String v) {
        if (v == null) {
            return 0;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String urlParameter(String url, String key) {
        Matcher m = Pattern.compile("[?&;]" + Pattern.quote(key) + "=([^&;]*)").matcher(url);
        return m.find() ? m.group(1) : null;
    }

    /** A parsed chaos URL. */
    static final class ChaosUrl {
        final String name;
        final Faults faults;
        final String realUrl;

        private ChaosUrl(String name, Faults faults, String realUrl) {
            this.name = name;
            this.faults = faults;
            this.realUrl = realUrl;
        }

        static ChaosUrl parse(String url) throws SQLException {
            String rest = url.substring(PREFIX.length());
            String params;
            String realUrl;
            if (rest.startsWith("jdbc:")) {
                params = "";
                realUrl = rest;
            } else {
                int split = rest.indexOf(":jdbc:");
                if (split < 0) {
                    throw new SQLException("ChaosDriver: bad URL, expected jdbc:chaos:[key=value;...:]jdbc:<real URL>, got "
                            + JdbcUrls.redact(url), "08001");
                }
                params = rest.substring(0, split);
                realUrl = rest.substring(split + 1);
            }
            String name = DEFAULT_NAME;
            Faults faults = Faults.NONE;
            for (String part : params.split(";")) {
                if (part.isBlank()) {
                    continue;
                }
                int eq = part.indexOf('=');
                String key = (eq < 0 ? part : part.substring(0, eq)).trim();
                String value = eq < 0 ? "" : part.substring(eq + 1).trim();
                try {
                    if (key.equals("name")) {
                        control(value); // checks the name
                        name = value;
                    } else {
                        faults = faults.with(key, value);
                    }
                } catch (IllegalArgumentException e) {
                    throw new SQLException("ChaosDriver: bad URL parameter: " + e.getMessage(), "08001", e);
                }
            }
            return new ChaosUrl(name, faults, realUrl);
        }

        @Override
        public String toString() {
            return "ChaosUrl[name=" + name + ", faults=" + faults + ", real=" + JdbcUrls.redact(realUrl) + "]";
        }
    }
}
