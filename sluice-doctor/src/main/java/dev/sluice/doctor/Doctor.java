package dev.sluice.doctor;

import dev.sluice.JdbcUrls;
import dev.sluice.SluiceConfig;
import dev.sluice.doctor.internal.CheckInput;
import dev.sluice.doctor.internal.DriverSettings;
import dev.sluice.doctor.internal.MachineFacts;
import dev.sluice.doctor.internal.Rules;
import dev.sluice.doctor.internal.ServerFacts;
import dev.sluice.doctor.internal.ServerReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Checks a pool configuration against the database server it will run on, before it bites:
 * instances × maximumPoolSize against max_connections, maxLifetime and keepalive against the
 * server's and the network's idle limits, missing statement and idle-transaction timeouts, a
 * replica where a primary is expected, and more (the README's "Doctor" section lists every rule).
 *
 * <pre>{@code
 * DoctorReport report = Doctor.builder(SluiceConfig.fromProperties(props))
 *         .instances(4)
 *         .networkIdleTimeout(Duration.ofMinutes(5))
 *         .build()
 *         .run();
 * if (report.hasErrors()) { System.err.print(report.toText()); }
 * }</pre>
 *
 * <p>{@link #run()} connects once, through a Sluice pool of one read-only connection with the
 * configuration's URL, credentials and driver properties, runs only SELECT and SHOW statements,
 * and is done within {@link #CHECK_BUDGET}. The driver is the caller's to put on the class path.
 * Immutable and reusable.
 */
public final class Doctor {
    /** The longest a check may take, connect included. */
    public static final Duration CHECK_BUDGET = Duration.ofSeconds(2);
    private static final int MAX_INSTANCES = 10_000;

    private final SluiceConfig config;
    private final int instances;
    private final Duration networkIdleTimeout;
    private final Integer threads;
    private final Integer connectionsPerThread;

    private Doctor(Builder b) {
        this.config = b.config;
        this.instances = b.instances != null ? b.instances : b.config.sizingInstances();
        this.networkIdleTimeout = b.networkIdleTimeout;
        this.threads = b.threads;
        this.connectionsPerThread = b.connectionsPerThread;
    }

    /**
     * A check of {@code config}: its URL (or data source), credentials and driver properties say
     * where to connect, its knobs are what is checked.
     */
    public static Builder builder(SluiceConfig config) {
        return new Builder(Objects.requireNonNull(config, "config"));
    }

    /**
     * Connects, reads the server's settings and applies every rule.
     *
     * @throws DoctorException when the check could not run: the server is unreachable or refused the
     *                         credentials, or no driver on the class path accepts the URL
     */
    public DoctorReport run() throws DoctorException {
        ServerFacts server = ServerReader.read(config, CHECK_BUDGET);
        CheckInput input = new CheckInput(config, instances, networkIdleTimeout, threads, connectionsPerThread,
                DriverSettings.of(config), MachineFacts.current());
        return report(input, server);
    }

    /** Applies the rules to facts already read; the seam the rule tests use. */
    static DoctorReport report(CheckInput input, ServerFacts server) {
        return new DoctorReport(target(input, server), version(), Rules.apply(input, server).sorted(), server.shown());
    }

    private static String target(CheckInput in, ServerFacts s) {
        SluiceConfig c = in.config();
        String where = c.jdbcUrl() != null ? JdbcUrls.redact(c.jdbcUrl())
                : c.dataSourceClassName() != null ? c.dataSourceClassName() : "a DataSource";
        String server = s.productName() == null ? "" : " (" + s.productName() + " " + s.version() + ")";
        return where + server + ", " + in.instances() + " instance" + (in.instances() == 1 ? "" : "s") + " × maximumPoolSize="
                + c.maximumPoolSize();
    }

    private static String version() {
        try (InputStream in = Doctor.class.getResourceAsStream("version.txt")) {
            String v = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return v.isEmpty() || v.startsWith("$") ? "development" : v;
        } catch (IOException e) {
            return "development";
        }
    }

    /** The declared facts of a check; each setter validates its value at once. */
    public static final class Builder {
        private final SluiceConfig config;
        private Integer instances;
        private Duration networkIdleTimeout;
        private Integer threads;
        private Integer connectionsPerThread;

        private Builder(SluiceConfig config) {
            this.config = config;
        }

        /**
         * Application instances that each run this pool against the same database. Default: the
         * configuration's {@code sizingInstances} (1 unless set).
         */
        public Builder instances(int n) {
            requireBetween("instances", n, 1, MAX_INSTANCES);
            this.instances = n;
            return this;
        }

        /** The idle limit of a firewall, NAT or load balancer between the application and the database. */
        public Builder networkIdleTimeout(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("networkIdleTimeout=" + d + " must be more than 0");
            }
            this.networkIdleTimeout = d;
            return this;
        }

        /** Threads that may hold connections at the same time (request workers). */
        public Builder threads(int n) {
            requireBetween("threads", n, 1, 1_000_000);
            this.threads = n;
            return this;
        }

        /** The most connections one thread holds at once (2 when code takes a second connection while holding one). */
        public Builder connectionsPerThread(int n) {
            requireBetween("connectionsPerThread", n, 1, 1000);
            this.connectionsPerThread = n;
            return this;
        }

        /**
         * @throws IllegalArgumentException when only one of threads and connectionsPerThread is set
         *                                  (the deadlock bound needs both)
         */
        public Doctor build() {
            if ((threads == null) != (connectionsPerThread == null)) {
                throw new IllegalArgumentException(threads == null
                        ? "connectionsPerThread=" + connectionsPerThread + " needs threads too: the deadlock bound is threads × (connectionsPerThread − 1) + 1"
                        : "threads=" + threads + " needs connectionsPerThread too: the deadlock bound is threads × (connectionsPerThread − 1) + 1");
            }
            return new Doctor(this);
        }

        private static void requireBetween(String name, int v, int min, int max) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + "=" + v + " must be between " + min + " and " + max);
            }
        }
    }
}
