package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import dev.sluice.stub.StubDatabase;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The console's security model over plain HTTP: every route, every refusal, and no secret in any answer. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsoleSecurityTest {
    private static final String DB_PASSWORD = "db-pa55word-never-shown";
    private final StubDatabase db = StubDatabase.create();
    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private final List<LogRecord> logs = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logs.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private SluiceDataSource ds;

    @BeforeEach
    void pool() throws Exception {
        root.addHandler(capture);
        Logger.getLogger(SluiceConsole.AUDIT_LOGGER).setLevel(Level.ALL);
        ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url())
                .poolName("orders-" + db.url().substring(10)).username("app").password(DB_PASSWORD).build());
        closeLater.add(ds);
    }

    @AfterEach
    void cleanUp() throws Exception {
        root.removeHandler(capture);
        for (int i = closeLater.size() - 1; i >= 0; i--) {
            closeLater.get(i).close();
        }
    }

    private SluiceConsole console(SluiceConsole.Builder b) {
        SluiceConsole c = b.port(0).register(ds).start();
        closeLater.add(0, c); // closed after nothing, before the pool
        return c;
    }

    private SluiceConsole console() {
        return console(SluiceConsole.builder());
    }

    private String path(Route r) {
        return r.pattern().replace("{pool}", ds.poolName());
    }

    @Test
    void everyRouteButTheLoginPageAndStaticFilesAnswers401WithoutCredentials() throws Exception {
        SluiceConsole c = console(SluiceConsole.builder().actions(true));
        ConsoleHttp http = new ConsoleHttp(c);
        List<Route> guarded = c.routes().stream().filter(r -> r.access() != Route.Access.PUBLIC).toList();
        assertThat(guarded).extracting(Route::pattern).contains("/api/snapshot", "/api/live", "/api/session", "/api/tenants", "/api/doctor",
                "/api/pools/{pool}/evict", "/api/pools/{pool}/resize");
        for (Route r : guarded) {
            HttpResponse<String> none = http.send(r.method(), path(r));
            assertThat(none.statusCode()).as("%s %s without credentials", r.method(), r.pattern()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"sluice-console\"");
            HttpResponse<String> forged = http.send(http.request(r.method(), path(r), null)
                    .header("Cookie", SecurityGate.SESSION_COOKIE + "=" + Sessions.randomToken()).header("Origin", http.origin()));
            assertThat(forged.statusCode()).as("%s %s with a made-up session", r.method(), r.pattern()).isEqualTo(401);
        }
        assertThat(ds.isSuspended()).isFalse();
    }

    @Test
    void publicRoutesRevealNothingAboutThePools() throws Exception {
        SluiceConsole c = console();
        ConsoleHttp http = new ConsoleHttp(c);
        List<Route> open = c.routes().stream().filter(r -> r.access() == Route.Access.PUBLIC && r.method().equals("GET")).toList();
        assertThat(open).isNotEmpty();
        for (Route r : open) {
            HttpResponse<String> resp = http.send("GET", r.pattern());
            assertThat(resp.statusCode()).as(r.pattern()).isEqualTo(200);
            assertThat(resp.body()).as(r.pattern()).doesNotContain(ds.poolName());
        }
    }

    @Test
    void theTokenOpensTheDataEndpointsWithSecurityHeaders() throws Exception {
        SluiceConsole c = console();
        assertThat(c.token()).hasSizeGreaterThanOrEqualTo(43); // 256 random bits, base64url
        assertThat(c.url().getHost()).isEqualTo("127.0.0.1");
        HttpResponse<String> r = new ConsoleHttp(c).bearer("GET", "/api/snapshot", c.token());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"" + ds.poolName() + "\"");
        assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(new ConsoleHttp(c).bearer("GET", "/api/snapshot", c.token() + "x").statusCode()).isEqualTo(401);
    }

    @Test
    void aTokenInTheQueryStringIsRefusedAndNotLogged() throws Exception {
        SluiceConsole c = console();
        ConsoleHttp http = new ConsoleHttp(c);
        for (String query : List.of("?token=", "?access_token=", "?t=")) {
            HttpResponse<String> r = http.send("GET", "/api/snapshot" + query + c.token());
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("no query parameters").doesNotContain(c.token());
        }
        // Even alongside a valid header: a token that was put in a URL is burnt, the request is not served.
        assertThat(http.bearer("GET", "/api/snapshot?token=" + c.token(), c.token()).statusCode()).isEqualTo(400);
        assertThat(logs).noneMatch(l -> String.valueOf(l.getMessage()).contains(c.token())
                || (l.getParameters() != null && List.of(l.getParameters()).toString().contains(c.token())));
    }

    @Test
    void fiveFailedLoginsInAMinuteGetTheAddress429EvenWithTheRightToken() throws Exception {
        SluiceConsole c = console();
        ConsoleHttp http = new ConsoleHttp(c);
        for (int i = 0; i < LoginThrottle.LIMIT; i++) {
            HttpResponse<String> r = http.login("wrong-" + i, http.origin());
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).contains("Wrong token or password").doesNotContain("wrong-" + i);
        }
        assertThat(http.login(c.token(), http.origin()).statusCode()).isEqualTo(429);
        assertThat(http.bearer("GET", "/api/snapshot", c.token()).statusCode()).isEqualTo(429);
        assertThat(logs).anyMatch(l -> l.getLoggerName().equals(SluiceConsole.AUDIT_LOGGER)
                && l.getMessage().contains("failed login"));
    }

    @Test
    void wrongBearerTokensCountAsFailedLogins() throws Exception {
        SluiceConsole c = console();
        ConsoleHttp http = new ConsoleHttp(c);
        for (int i = 0; i < LoginThrottle.LIMIT; i++) {
            assertThat(http.bearer("GET", "/api/session", "guess-" + i).statusCode()).isEqualTo(401);
        }
        assertThat(http.bearer("GET", "/api/session", c.token()).statusCode()).isEqualTo(429);
    }

    @Test
    void theLoginPageSetsAnHttpOnlyStrictSessionCookieAndRefusesForeignOrigins() throws Exception {
        SluiceConsole c = console();
        ConsoleHttp http = new ConsoleHttp(c);
        assertThat(http.login(c.token(), "http://evil.example").statusCode()).isEqualTo(403);
        assertThat(http.login(c.token(), null).statusCode()).isEqualTo(403);
        HttpResponse<String> ok = http.login(c.token(), http.origin());
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(ok.headers().firstValue("Location")).hasValue("/");
        String setCookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith(SecurityGate.SESSION_COOKIE + "=").contains("HttpOnly", "SameSite=Strict", "Path=/")
                .doesNotContain(c.token());
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        HttpResponse<String> session = http.send(http.request("GET", "/api/session", null).header("Cookie", cookie));
        assertThat(session.statusCode()).isEqualTo(200);
        assertThat(session.body()).contains("\"csrf\":\"", "\"actions\":false");
    }

    @Test
    void aReadOnlyConsoleRefusesEveryActionEvenWithSessionCsrfAndOrigin() throws Exception {
        SluiceConsole c = console();
        ConsoleHttp http = new ConsoleHttp(c);
        String cookie = http.sessionCookie(c.token());
        String csrf = csrf(http, cookie);
        for (String action : PoolActions.NAMES) {
            HttpResponse<String> r = http.send(http.request("POST", "/api/pools/" + ds.poolName() + "/" + action, "")
                    .header("Cookie", cookie).header("Origin", http.origin()).header(SecurityGate.CSRF_HEADER, csrf));
            assertThat(r.statusCode()).as(action).isEqualTo(403);
            assertThat(r.body()).contains("read-only");
        }
        assertThat(ds.isSuspended()).isFalse();
    }

    @Test
    void actionsNeedTheCsrfTokenAndTheConsolesOriginAndAreAudited() throws Exception {
        SluiceConsole c = console(SluiceConsole.builder().actions(true));
        ConsoleHttp http = new ConsoleHttp(c);
        String cookie = http.sessionCookie(c.token());
        String csrf = csrf(http, cookie);
        String suspend = "/api/pools/" + ds.poolName() + "/suspend";
        HttpRequest.Builder noCsrf = http.request("POST", suspend, "").header("Cookie", cookie).header("Origin", http.origin());
        assertThat(http.send(noCsrf).statusCode()).isEqualTo(403);
        HttpRequest.Builder wrongCsrf = http.request("POST", suspend, "").header("Cookie", cookie).header("Origin", http.origin())
                .header(SecurityGate.CSRF_HEADER, Sessions.randomToken());
        assertThat(http.send(wrongCsrf).statusCode()).isEqualTo(403);
        HttpRequest.Builder foreign = http.request("POST", suspend, "").header("Cookie", cookie)
                .header("Origin", "http://evil.example").header(SecurityGate.CSRF_HEADER, csrf);
        assertThat(http.send(foreign).statusCode()).isEqualTo(403);
        HttpRequest.Builder noOrigin = http.request("POST", suspend, "").header("Cookie", cookie).header(SecurityGate.CSRF_HEADER, csrf);
        assertThat(http.send(noOrigin).statusCode()).isEqualTo(403);
        assertThat(http.send("GET", suspend).statusCode()).isEqualTo(405);
        assertThat(ds.isSuspended()).isFalse();

        HttpRequest.Builder good = http.request("POST", suspend, "").header("Cookie", cookie).header("Origin", http.origin())
                .header(SecurityGate.CSRF_HEADER, csrf);
        assertThat(http.send(good).statusCode()).isEqualTo(200);
        assertThat(ds.isSuspended()).isTrue();
        HttpResponse<String> resize = http.send(http.request("POST", "/api/pools/" + ds.poolName() + "/resize",
                "maximumPoolSize=7&minimumIdle=1").header("Cookie", cookie).header("Origin", http.origin())
                .header(SecurityGate.CSRF_HEADER, csrf).header("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(resize.statusCode()).isEqualTo(200);
        assertThat(ds.stats().maximumPoolSize()).isEqualTo(7);
        HttpResponse<String> bad = http.send(http.request("POST", "/api/pools/" + ds.poolName() + "/resize",
                "maximumPoolSize=lots&minimumIdle=1").header("Cookie", cookie).header("Origin", http.origin())
                .header(SecurityGate.CSRF_HEADER, csrf));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("maximumPoolSize must be a whole number, got 'lots'");
        // A Bearer client is not a browser: the header cannot be forged cross-site, so no CSRF token is asked of it.
        assertThat(http.bearer("POST", "/api/pools/" + ds.poolName() + "/resume", c.token()).statusCode()).isEqualTo(200);
        assertThat(ds.isSuspended()).isFalse();

        List<String> audit = logs.stream().filter(l -> l.getLoggerName().equals(SluiceConsole.AUDIT_LOGGER))
                .map(l -> java.text.MessageFormat.format(l.getMessage(), l.getParameters())).toList();
        assertThat(audit).anyMatch(m -> m.matches("console: session [0-9a-f]{8} from 127\\.0\\.0\\.1 at \\S+Z: suspend on pool "
                + ds.poolName()));
        assertThat(audit).anyMatch(m -> m.contains("resize maximumPoolSize=7 minimumIdle=1 on pool " + ds.poolName()));
        assertThat(audit).anyMatch(m -> m.contains("bearer token from 127.0.0.1") && m.contains("resume"));
        assertThat(audit).noneMatch(m -> m.contains(c.token()) || m.contains(cookie.substring(cookie.indexOf('=') + 1)));
    }

    @Test
    void theNinthLiveClientGets503() throws Exception {
        SluiceConsole c = console();
        ConsoleHttp http = new ConsoleHttp(c);
        List<InputStream> streams = new ArrayList<>();
        try {
            for (int i = 0; i < SluiceConsole.DEFAULT_MAX_LIVE_CLIENTS; i++) {
                HttpResponse<InputStream> r = http.live(c.token());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
                BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
                assertThat(in.readLine()).isEqualTo("event: snapshot");
                streams.add(r.body());
            }
            HttpResponse<String> ninth = http.bearer("GET", "/api/live", c.token());
            assertThat(ninth.statusCode()).isEqualTo(503);
            assertThat(ninth.body()).contains("at most 8");
        } finally {
            for (InputStream s : streams) {
                s.close();
            }
        }
    }

    @Test
    void noPasswordTokenOrSecretUrlParameterInAnyAnswer() throws Exception {
        SluiceConsole c = console(SluiceConsole.builder().actions(true));
        ConsoleHttp http = new ConsoleHttp(c);
        Thread.sleep(1200); // one sample taken, so the documents are full
        String cookie = http.sessionCookie(c.token());
        for (Route r : c.routes()) {
            if (!r.method().equals("GET") || r.pattern().equals("/api/live")) {
                continue;
            }
            HttpResponse<String> resp = http.send(http.request("GET", path(r), null).header("Cookie", cookie));
            assertThat(resp.statusCode()).as(r.pattern()).isEqualTo(200);
            assertThat(resp.body() + resp.headers().map()).as(r.pattern()).doesNotContain(DB_PASSWORD, c.token());
        }
        HttpResponse<InputStream> live = http.live(c.token());
        try (InputStream in = live.body()) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            reader.readLine();
            String data = reader.readLine();
            assertThat(data).startsWith("data: {").contains(ds.poolName()).doesNotContain(DB_PASSWORD, c.token());
        }
    }

    @Test
    void aPasswordHashLetsOperatorsLogInAndTurnsBearerOff() throws Exception {
        String hash = ConsolePassword.hash("correct horse battery".toCharArray(), ConsolePassword.MIN_ITERATIONS);
        assertThat(hash).startsWith("pbkdf2-sha256$10000$").doesNotContain("correct horse");
        SluiceConsole c = console(SluiceConsole.builder().passwordHash(hash));
        assertThat(c.token()).isNull();
        ConsoleHttp http = new ConsoleHttp(c);
        assertThat(http.login("correct horse batter", http.origin()).statusCode()).isEqualTo(401);
        String cookie = http.sessionCookie("correct horse battery");
        assertThat(http.send(http.request("GET", "/api/snapshot", null).header("Cookie", cookie)).statusCode()).isEqualTo(200);
        assertThat(http.bearer("GET", "/api/snapshot", "correct horse battery").statusCode()).isEqualTo(401);
    }

    @Test
    void badSettingsFailWithAMessageThatNamesThemWithoutEchoingSecrets() {
        assertThatThrownBy(() -> SluiceConsole.builder().token("short")).hasMessageContaining("token must be at least 22")
                .hasMessageNotContaining("short");
        assertThatThrownBy(() -> SluiceConsole.builder().passwordHash("plaintext-password"))
                .hasMessageContaining("passwordHash must look like pbkdf2-sha256$").hasMessageNotContaining("plaintext-password");
        assertThatThrownBy(() -> ConsolePassword.hash("pw".toCharArray(), 1000)).hasMessageContaining("iterations=1000 must be at least 10000");
        assertThatThrownBy(() -> SluiceConsole.builder().maxLiveClients(0)).hasMessageContaining("maxLiveClients=0 must be 1..256");
        assertThatThrownBy(() -> SluiceConsole.builder().port(70000)).hasMessageContaining("port=70000");
        assertThatThrownBy(() -> SluiceConsole.builder().publicOrigin("https://x.example/path")).hasMessageContaining("publicOrigin");
        assertThatThrownBy(() -> SluiceConsole.builder().register(ds).register(ds)).hasMessageContaining("registered already");
    }

    @Test
    void aForeignHostHeaderIsRefusedAgainstDnsRebinding() throws Exception {
        SluiceConsole c = console();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), c.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("GET /login HTTP/1.1\r\nHost: rebound.evil.example\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertThat(status).startsWith("HTTP/1.1 421");
        }
    }

    @Test
    void onlyAnAddressOffTheLoopbackIsWarnedAbout() throws Exception {
        assertThat(ConsoleServer.bindWarning(InetAddress.getByName("127.0.0.1"))).isNull();
        assertThat(ConsoleServer.bindWarning(InetAddress.getByName("::1"))).isNull();
        assertThat(ConsoleServer.bindWarning(InetAddress.getByName("10.1.2.3"))).contains("not the loopback", "TLS");
        assertThat(ConsoleServer.bindWarning(InetAddress.getByName("0.0.0.0"))).contains("not the loopback");
    }

    @Test
    void fifteenMinutesOfHistoryForFiftyPoolsStayUnderTwoMegabytes() {
        assertThat(HistoryRing.CAPACITY).isEqualTo(15 * 60);
        assertThat(50L * HistoryRing.CAPACITY * HistoryRing.BYTES_PER_SAMPLE).isLessThan(2L * 1024 * 1024);
    }

    private static String csrf(ConsoleHttp http, String cookie) throws Exception {
        String body = http.send(http.request("GET", "/api/session", null).header("Cookie", cookie)).body();
        int at = body.indexOf("\"csrf\":\"") + 8;
        return body.substring(at, body.indexOf('"', at));
    }
}
