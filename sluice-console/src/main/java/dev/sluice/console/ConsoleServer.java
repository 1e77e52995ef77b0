package dev.sluice.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.SluiceDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The running console: the JDK HTTP server, its route table, the once-a-second sampler and the
 * live clients. Every request goes through {@link SecurityGate} before its route's handler.
 */
final class ConsoleServer {
    private static final System.Logger LOG = System.getLogger("dev.sluice.console");

    private final HttpServer http;
    private final ExecutorService workers;
    private final ScheduledExecutorService sampler;
    private final SecurityGate gate;
    private final List<Route> routes;
    private final List<PoolWatch> watches;
    private final List<TenantWatch> tenants;
    /** Null when the console was given no doctor check: then sluice-doctor is never loaded. */
    private final DoctorView doctor;
    private final LiveClients live;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final Credentials credentials;
    private final PoolActions actions;
    private final Logger audit = Logger.getLogger(SluiceConsole.AUDIT_LOGGER);
    private final boolean actionsEnabled;
    private final boolean secureCookie;
    private final URI url;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    /** The latest tick, built once a second for every client. */
    private volatile String latest = "{\"t\":0,\"pools\":[],\"tenants\":[]}";
    /** The tenant data sources' part of the latest tick, also served alone at /api/tenants. */
    private volatile String latestTenants = "[]";

    private ConsoleServer(HttpServer http, ExecutorService workers, Credentials credentials, List<SluiceDataSource> pools,
            List<TenantWatch> tenants, DoctorView doctor, boolean actionsEnabled, int maxLive, Set<String> extraOrigins, boolean secureCookie) {
        this.http = http;
        this.workers = workers;
        this.credentials = credentials;
        this.actionsEnabled = actionsEnabled;
        this.secureCookie = secureCookie;
        this.sessions = new Sessions(System::nanoTime);
        this.throttle = new LoginThrottle(System::nanoTime);
        this.live = new LiveClients(maxLive);
        int port = http.getAddress().getPort();
        InetAddress bound = http.getAddress().getAddress();
        String boundHost = bound.getHostAddress().contains(":") ? "[" + bound.getHostAddress() + "]" : bound.getHostAddress();
        this.url = URI.create("http://" + (bound.isAnyLocalAddress() ? "127.0.0.1" : boundHost) + ":" + port + "/");
        Set<String> hosts = new LinkedHashSet<>(List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port,
                boundHost.toLowerCase(Locale.ROOT) + ":" + port));
        Set<String> origins = new LinkedHashSet<>();
        hosts.forEach(h -> origins.add("http://" + h));
        for (String o : extraOrigins) {
            origins.add(o);
            URI u = URI.create(o);
            hosts.add(u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : ""));
        }
        this.gate = new SecurityGate(credentials, sessions, throttle, Set.copyOf(hosts), Set.copyOf(origins), actionsEnabled, audit);
        this.watches = new ArrayList<>();
        for (SluiceDataSource ds : pools) {
            watches.add(new PoolWatch(ds));
        }
        this.tenants = tenants;
        this.doctor = doctor;
        this.actions = new PoolActions(watches, audit);
        this.routes = routes(Assets.load());
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sluice-console-sampler"));
    }

    static ConsoleServer start(InetAddress address, int port, Credentials credentials, List<SluiceDataSource> pools,
            List<TenantWatch> tenants, DoctorView doctor, boolean actionsEnabled, int maxLive, Set<String> origins, boolean secureCookie) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(address, port), 50);
        } catch (IOException e) {
            throw new UncheckedIOException("the console cannot listen on " + address.getHostAddress() + ":" + port + ": " + e.getMessage(), e);
        }
        // Live clients each hold a thread for as long as they watch; the rest serve everything else.
        ExecutorService workers = Executors.newFixedThreadPool(maxLive + 4, r -> daemon(r, "sluice-console-http"));
        ConsoleServer s = new ConsoleServer(http, workers, credentials, pools, tenants, doctor, actionsEnabled, maxLive, origins, secureCookie);
        http.setExecutor(workers);
        http.createContext("/", s::dispatch);
        for (PoolWatch w : s.watches) {
            w.ds.addListener(w);
        }
        if (doctor != null) {
            doctor.start();
        }
        s.sampler.scheduleAtFixedRate(s::tick, 0, 1, TimeUnit.SECONDS);
        http.start();
        String warning = bindWarning(address);
        if (warning != null) {
            LOG.log(System.Logger.Level.WARNING, warning);
        }
        LOG.log(System.Logger.Level.INFO, "console at {0} for {1} pool(s) and {2} tenant data source(s), {3}", s.url,
                pools.size(), tenants.size(),
                actionsEnabled ? "actions enabled" : "read-only");
        return s;
    }

    /** The warning an address off the loopback deserves, or null. */
    static String bindWarning(InetAddress address) {
        return address.isLoopbackAddress() ? null : "console listens on " + address.getHostAddress() + ", not the loopback:"
                + " it speaks plain HTTP, so put TLS termination in front of it and set publicOrigin";
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The route table: every path the server answers, with what it requires. */
    private List<Route> routes(Map<String, Assets.Asset> assets) {
        List<Route> r = new ArrayList<>();
        assets.forEach((path, asset) -> r.add(new Route("GET", path, Route.Access.PUBLIC,
                req -> req.send(200, asset.contentType(), asset.body()))));
        r.add(new Route("POST", "/login", Route.Access.PUBLIC, this::login));
        r.add(new Route("POST", "/logout", Route.Access.WRITE, this::logout));
        r.add(new Route("GET", "/api/session", Route.Access.READ, this::session));
        r.add(new Route("GET", "/api/snapshot", Route.Access.READ, req -> req.json(200, snapshot())));
        r.add(new Route("GET", "/api/tenants", Route.Access.READ, req -> req.json(200, tenantsWithHistory())));
        r.add(new Route("GET", "/api/doctor", Route.Access.READ, req -> req.json(200, doctorDocument())));
        r.add(new Route("GET", "/api/live", Route.Access.READ,
                req -> live.serve(req, () -> LiveClients.event("snapshot", snapshot()))));
        for (String action : PoolActions.NAMES) {
            r.add(new Route("POST", "/api/pools/{pool}/" + action, Route.Access.ACTION, req -> actions.run(action, req)));
        }
        return List.copyOf(r);
    }

    List<Route> routes() {
        return routes;
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        ConsoleRequest req = null;
        try {
            SecurityGate.secureHeaders(exchange.getResponseHeaders());
            String path = exchange.getRequestURI().getRawPath();
            req = new ConsoleRequest(exchange, Map.of());
            if (gate.refusedBeforeRouting(req)) {
                return;
            }
            boolean pathKnown = false;
            for (Route route : routes) {
                Map<String, String> params = route.match(path);
                if (params == null) {
                    continue;
                }
                pathKnown = true;
                if (route.method().equals(exchange.getRequestMethod())) {
                    req = new ConsoleRequest(exchange, params);
                    if (gate.admits(req, route.access())) {
                        route.handler().handle(req);
                    }
                    return;
                }
            }
            if (pathKnown) {
                req.text(405, "method " + exchange.getRequestMethod() + " not allowed here");
            } else {
                req.text(404, "no such page");
            }
        } catch (ConsoleRequest.FormTooLarge e) {
            req.text(413, e.getMessage());
        } catch (IOException | RuntimeException e) {
            // The path only, never the query: it may hold a credential someone tried to pass.
            LOG.log(System.Logger.Level.DEBUG, "console request to " + exchange.getRequestURI().getRawPath() + " failed", e);
            exchange.close();
        }
    }

    private void login(ConsoleRequest r) throws IOException {
        if (throttle.blocked(r.remote())) {
            SecurityGate.tooMany(r);
            return;
        }
        if (!gate.sameOrigin(r)) {
            r.text(403, "refused: log in from the console's own login page (the request's Origin is missing or foreign)");
            return;
        }
        String secret = r.form().get("secret");
        if (!credentials.loginMatches(secret)) {
            throttle.failed(r.remote());
            audit.log(Level.WARNING, "console: failed login from {0}", r.remote().getHostAddress());
            r.send(401, "text/html; charset=utf-8", LoginPage.failed());
            return;
        }
        String id = sessions.start(r.remote().getHostAddress());
        audit.log(Level.INFO, "console: {0} logged in", sessions.find(id).who());
        r.exchange.getResponseHeaders().add("Set-Cookie", SecurityGate.SESSION_COOKIE + "=" + id
                + "; Path=/; HttpOnly; SameSite=Strict" + (secureCookie ? "; Secure" : ""));
        r.redirect("/");
    }

    private void logout(ConsoleRequest r) throws IOException {
        sessions.end(r.cookie(SecurityGate.SESSION_COOKIE));
        if (r.session != null) {
            audit.log(Level.INFO, "console: {0} logged out", r.who);
        }
        r.exchange.getResponseHeaders().add("Set-Cookie", SecurityGate.SESSION_COOKIE
                + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" + (secureCookie ? "; Secure" : ""));
        r.redirect("/login");
    }

    private void session(ConsoleRequest r) throws IOException {
        Json j = new Json().object().field("who", r.who).field("actions", actionsEnabled)
                .field("csrf", r.session == null ? null : r.session.csrfToken()).name("pools").array();
        watches.forEach(w -> j.value(w.name));
        r.json(200, j.endArray().end().toString());
    }

    /** Samples every pool and sends the tick to the live clients; one failing pool does not stop the others. */
    private void tick() {
        long now = System.currentTimeMillis();
        Json j = new Json().object().field("t", now).name("pools").array();
        for (PoolWatch w : watches) {
            try {
                j.raw(w.sample(now / 1000));
            } catch (RuntimeException e) {
                j.object().field("name", w.name).field("error", "cannot read the pool: " + e.getClass().getSimpleName()).end();
            }
        }
        Json t = new Json().array();
        for (TenantWatch w : tenants) {
            try {
                t.raw(w.sample(now / 1000));
            } catch (RuntimeException e) {
                t.object().field("name", w.name).field("error", "cannot read the tenants: " + e.getClass().getSimpleName()).end();
            }
        }
        latestTenants = t.endArray().toString();
        latest = j.endArray().name("tenants").raw(latestTenants).name("doctor").raw(doctorDocument()).end().toString();
        live.broadcast(LiveClients.event("tick", latest));
    }

    /** The latest tick with each pool's history spliced in: what a page loads first. */
    private String snapshot() {
        Json j = new Json().object().field("t", System.currentTimeMillis()).name("history").object();
        for (PoolWatch w : watches) {
            j.name(w.name);
            w.history.write(j);
        }
        j.end().name("tenantHistory");
        tenantHistory(j);
        return j.name("latest").raw(latest).end().toString();
    }

    private void tenantHistory(Json j) {
        j.object();
        for (TenantWatch w : tenants) {
            j.name(w.name);
            w.history.write(j);
        }
        j.end();
    }

    /** Each tenant data source's latest document and its budget's history, for scripts; the page gets both over /api/live. */
    private String tenantsWithHistory() {
        Json j = new Json().object().field("t", System.currentTimeMillis()).name("history");
        tenantHistory(j);
        return j.name("tenants").raw(latestTenants).end().toString();
    }

    private String doctorDocument() {
        return doctor == null ? "{\"state\":\"none\"}" : doctor.document();
    }

    URI url() {
        return url;
    }

    int port() {
        return http.getAddress().getPort();
    }

    int liveClients() {
        return live.connected();
    }

    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        sampler.shutdownNow();
        live.close();
        sessions.clear();
        http.stop(0);
        workers.shutdownNow();
        for (PoolWatch w : watches) {
            try {
                w.ds.removeListener(w);
            } catch (RuntimeException closedPool) {
                // Its pool was closed first: nothing left to detach from.
            }
        }
    }
}
