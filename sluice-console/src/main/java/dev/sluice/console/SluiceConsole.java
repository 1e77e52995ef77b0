package dev.sluice.console;

import dev.sluice.SluiceDataSource;
import dev.sluice.TenantDataSource;
import dev.sluice.doctor.DoctorReport;
import java.io.Closeable;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * A live web console for Sluice pools: who holds the connections now (with the borrower's stack),
 * leak reports as they happen, the breaker's timeline, sizing decisions, health, and 15 minutes
 * of history, updated every second; tenant-routing data sources' budgets and busiest tenants; and
 * the doctor's findings, when given a check.
 *
 * <pre>{@code
 * SluiceConsole console = SluiceConsole.builder().port(8079).register(ds).start();
 * System.out.println("console " + console.url() + " token " + console.token());   // print it once
 * ...
 * console.close();
 * }</pre>
 *
 * <p>Safe to leave on: it listens on 127.0.0.1 unless told otherwise; every data endpoint needs
 * the token (an {@code Authorization: Bearer} header or the login page's session cookie) or the
 * password; five failed logins a minute from one address get 429; it is read-only unless
 * {@link Builder#actions(boolean) actions} are enabled, and then each action needs the page's
 * CSRF token and a same-origin request and is written to the audit log
 * ({@code java.util.logging} logger {@value #AUDIT_LOGGER}). No password or JDBC URL secret is
 * ever shown.
 */
public final class SluiceConsole implements Closeable {
    /** The java.util.logging logger of logins and actions: who, what, when. */
    public static final String AUDIT_LOGGER = "dev.sluice.console.audit";
    /** The default limit of live (SSE) clients. */
    public static final int DEFAULT_MAX_LIVE_CLIENTS = 8;
    /** A configured token shorter than this is too easy to guess. */
    public static final int MIN_TOKEN_LENGTH = 22;

    private final ConsoleServer server;
    private final String token;

    private SluiceConsole(ConsoleServer server, String token) {
        this.server = server;
        this.token = token;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Where the console answers, e.g. {@code http://127.0.0.1:8079/}. */
    public URI url() {
        return server.url();
    }

    /** The port it listens on (the one chosen when configured with 0). */
    public int port() {
        return server.port();
    }

    /**
     * The access token: the configured one or the random one made at start (256 bits from
     * {@link java.security.SecureRandom}); null when only a password was configured. The caller
     * prints it once for the operator; the console itself never logs or shows it.
     */
    public String token() {
        return token;
    }

    /** Stops the server, ends every session and live stream, and detaches from the pools. Idempotent. */
    @Override
    public void close() {
        server.close();
    }

    /** The route table, for tests that must cover every route. */
    java.util.List<Route> routes() {
        return server.routes();
    }

    int liveClients() {
        return server.liveClients();
    }

    @Override
    public String toString() {
        return "SluiceConsole[" + url() + "]"; // never the token
    }

    /** The console's settings; {@link #start()} validates them and starts the server. */
    public static final class Builder {
        private int port = 8079;
        private String bindAddress = "127.0.0.1";
        private String token;
        private String passwordHash;
        private boolean actions;
        private int maxLiveClients = DEFAULT_MAX_LIVE_CLIENTS;
        private String publicOrigin;
        private final List<SluiceDataSource> pools = new ArrayList<>();
        private final List<TenantWatch> tenants = new ArrayList<>();
        private Callable<DoctorReport> doctor;

        private Builder() {
        }

        /** The TCP port, 0 for any free one (see {@link SluiceConsole#port()}); default 8079. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port=" + port + " must be 0 (any free port) or 1..65535");
            }
            this.port = port;
            return this;
        }

        /**
         * The address to listen on; default {@code 127.0.0.1}. Any other address is logged as a
         * warning: the console speaks plain HTTP, so off the loopback put TLS in front of it (and set
         * {@link #publicOrigin}).
         */
        public Builder bindAddress(String address) {
            this.bindAddress = Objects.requireNonNull(address, "bindAddress");
            return this;
        }

        /** A fixed access token (at least {@value SluiceConsole#MIN_TOKEN_LENGTH} characters) instead of a random one. */
        public Builder token(String token) {
            if (token == null || token.length() < MIN_TOKEN_LENGTH || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("token must be at least " + MIN_TOKEN_LENGTH
                        + " printable ASCII characters without spaces (the value is not shown)");
            }
            this.token = token;
            return this;
        }

        /**
         * Lets operators log in with a password, given as the hash {@link ConsolePassword#hash}
         * made. With a password and no {@link #token}, no token is made and Bearer access is off.
         */
        public Builder passwordHash(String hash) {
            ConsolePassword.parse(hash);
            this.passwordHash = hash;
            return this;
        }

        /** Allows evict, resize, suspend and resume from the page (default false: read-only). */
        public Builder actions(boolean enabled) {
            this.actions = enabled;
            return this;
        }

        /** At most this many live browsers at once (default 8); the next is answered 503. */
        public Builder maxLiveClients(int max) {
            if (max < 1 || max > 256) {
                throw new IllegalArgumentException("maxLiveClients=" + max + " must be 1..256");
            }
            this.maxLiveClients = max;
            return this;
        }

        /**
         * The origin browsers use when the console is behind a TLS proxy, e.g.
         * {@code https://pools.example.com}: requests with that Host and Origin are accepted, and
         * the session cookie is marked Secure.
         */
        public Builder publicOrigin(String origin) {
            Objects.requireNonNull(origin, "publicOrigin");
            URI u;
            try {
                u = URI.create(origin);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("publicOrigin must be scheme://host[:port], got an unparseable value", e);
            }
            if (u.getScheme() == null || u.getHost() == null || !(u.getPath() == null || u.getPath().isEmpty())
                    || !(u.getScheme().equals("https") || u.getScheme().equals("http"))) {
                throw new IllegalArgumentException("publicOrigin must be http(s)://host[:port] with no path, got " + origin);
            }
            this.publicOrigin = origin.toLowerCase(Locale.ROOT);
            return this;
        }

        /** A pool to show; its name must be unique among the registered pools. */
        public Builder register(SluiceDataSource ds) {
            Objects.requireNonNull(ds, "ds");
            for (SluiceDataSource p : pools) {
                if (p.poolName().equals(ds.poolName())) {
                    throw new IllegalArgumentException("a pool named " + ds.poolName() + " is registered already");
                }
            }
            pools.add(ds);
            return this;
        }

        /**
         * A tenant-routing data source to show under {@code name} (unique among the registered tenant
         * data sources): its connection budget over the last 15 minutes, and its tenants, busiest
         * first, the {@value TenantWatch#TOP} busiest one by one and the rest summed as "others".
         */
        public Builder registerTenants(String name, TenantDataSource tenants) {
            Objects.requireNonNull(tenants, "tenants");
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("the tenant data source's name must not be blank");
            }
            if (name.length() > 100) {
                throw new IllegalArgumentException("the tenant data source's name must be at most 100 characters, got " + name.length());
            }
            for (TenantWatch w : this.tenants) {
                if (w.name.equals(name)) {
                    throw new IllegalArgumentException("a tenant data source named " + name + " is registered already");
                }
            }
            this.tenants.add(new TenantWatch(name, tenants));
            return this;
        }

        /**
         * A doctor check to run once when the console starts, e.g.
         * {@code doctor(Doctor.builder(config).build()::run)}; its findings (id, severity, message,
         * fix, values with secrets hidden) are shown on the page. Needs {@code sluice-doctor} on the
         * class path; without this call the console does not use it.
         */
        public Builder doctor(Callable<DoctorReport> check) {
            this.doctor = Objects.requireNonNull(check, "check");
            return this;
        }

        /** Starts the console. Fails if the address cannot be bound. */
        public SluiceConsole start() {
            InetAddress address;
            try {
                address = InetAddress.getByName(bindAddress);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("bindAddress=" + bindAddress + " is not an address of this host", e);
            }
            String t = token != null ? token : passwordHash != null ? null : Sessions.randomToken();
            Credentials credentials = new Credentials(t, passwordHash == null ? null : ConsolePassword.parse(passwordHash));
            Set<String> origins = new LinkedHashSet<>();
            if (publicOrigin != null) {
                origins.add(publicOrigin);
            }
            ConsoleServer server = ConsoleServer.start(address, port, credentials, List.copyOf(pools), List.copyOf(tenants),
                    doctor == null ? null : new DoctorView(doctor), actions, maxLiveClients, origins,
                    publicOrigin != null && publicOrigin.startsWith("https:"));
            return new SluiceConsole(server, t);
        }
    }
}
