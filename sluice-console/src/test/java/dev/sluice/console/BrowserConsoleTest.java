package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import dev.sluice.stub.StubDatabase;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium (Debian's chromium and chromium-driver): log in through
 * the page, watch the numbers move under a workload, see a leak report and a held connection's
 * stack, and prove from the browser's own network log that nothing was fetched from any other host.
 *
 * <p>The driver is the system's {@code /usr/bin/chromedriver}, named explicitly so Selenium Manager
 * never runs (it would download a driver); Chromium's own background services are switched off and
 * every host but the loopback is made unresolvable, so the test cannot reach the network at all.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BrowserConsoleTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String CARD = "section.pool[data-pool='checkout']";
    private static final Duration LEAK_THRESHOLD = Duration.ofMillis(300);

    private final StubDatabase db = StubDatabase.create();
    private final ExecutorService workload = Executors.newFixedThreadPool(4);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch releaseLeak = new CountDownLatch(1);
    private SluiceDataSource ds;
    private SluiceConsole console;
    private ChromeDriver browser;
    private final List<ChromeDriverService> services = new ArrayList<>();
    /** The extra browsers of the footprint case. */
    private final List<ChromeDriver> more = new ArrayList<>();

    @BeforeEach
    void requireChromium() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true but " + CHROMIUM + " or " + CHROMEDRIVER
                    + " is missing: install them with apt-get install -y chromium chromium-driver (.ci/run does)");
        }
        Assumptions.assumeTrue(present, "the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                + " (apt-get install -y chromium chromium-driver)");
    }

    @AfterEach
    void cleanUp() throws Exception {
        running.set(false);
        releaseLeak.countDown();
        workload.shutdownNow();
        workload.awaitTermination(10, TimeUnit.SECONDS);
        if (browser != null) {
            // Left behind for whoever reads a failure: the last page and what the browser said.
            screenshot("browser-last.png");
            Files.write(Path.of("target", "browser-console.log"), browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .map(LogEntry::toString).toList());
            Files.writeString(Path.of("target", "browser-last.html"), browser.getPageSource());
            browser.quit();
        }
        for (ChromeDriver b : more) {
            b.quit();
        }
        for (ChromeDriverService s : services) {
            s.stop();
        }
        if (console != null) {
            console.close();
        }
        if (ds != null) {
            ds.close();
        }
    }

    private ChromeDriver startBrowser() {
        // Named explicitly so that Selenium Manager has nothing to look up and never runs.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogFile(new File("target/chromedriver-" + services.size() + ".log")).build();
        services.add(service);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1900", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
                "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
                // Any host but the loopback fails to resolve: a request elsewhere cannot leave the machine.
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        return new ChromeDriver(service, options);
    }

    @Test
    void anOperatorLogsInWatchesTheNumbersMoveSeesALeakWithItsStackAndNothingLeavesTheConsole() throws Exception {
        db.queryMillis = 2;
        ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).poolName("checkout").maximumPoolSize(6)
                .password("browser-test-db-secret").leakDetectionThreshold(LEAK_THRESHOLD).build());
        for (int i = 0; i < 3; i++) {
            workload.submit(() -> {
                while (running.get()) {
                    try (Connection c = ds.getConnection()) {
                        c.createStatement().executeQuery("select 1").close();
                        Thread.sleep(ThreadLocalRandom.current().nextInt(5, 40));
                    } catch (InterruptedException e) {
                        return null;
                    }
                }
                return null;
            });
        }
        console = SluiceConsole.builder().port(0).register(ds).start();
        // Selenium Manager keeps its downloads and metadata here; a run that never started it leaves none.
        Path seleniumCache = Path.of(System.getProperty("user.home"), ".cache", "selenium");
        boolean cacheBefore = Files.exists(seleniumCache);
        String origin = console.url().toString().replaceAll("/$", "");
        browser = startBrowser();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));

        browser.get(origin + "/");
        wait.until(d -> d.getCurrentUrl().endsWith("/login"));
        browser.findElement(By.id("secret")).sendKeys(console.token());
        browser.findElement(By.id("login")).click();
        WebElement pool = wait.until(d -> d.findElements(By.cssSelector(CARD)).stream().findFirst().orElse(null));
        wait.until(d -> number(pool, "acquired").matches("\\d+"));

        long before = Long.parseLong(number(pool, "acquired"));
        wait.until(d -> Long.parseLong(number(pool, "acquired")) > before + 10);
        assertThat(pool.findElements(By.cssSelector(".uplot canvas"))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(pool.findElement(By.cssSelector(".badge.health")).getText()).isNotBlank();
        assertThat(pool.findElement(By.cssSelector(".latency")).getText()).contains("acquire", "hold", "connect");
        screenshot("console-overview.png");

        CountDownLatch borrowed = new CountDownLatch(1);
        long[] borrowedAt = new long[1];
        workload.submit(() -> {
            Thread.currentThread().setName("leaky-worker");
            try (Connection c = ds.getConnection()) {
                borrowedAt[0] = System.nanoTime();
                borrowed.countDown();
                releaseLeak.await(30, TimeUnit.SECONDS);
            }
            return null;
        });
        assertThat(borrowed.await(5, TimeUnit.SECONDS)).isTrue();
        // The page redraws every second, so elements are looked up again inside each wait.
        String leak = new WebDriverWait(browser, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElements(By.cssSelector(CARD + " .leaks li.leak")).stream().map(WebElement::getText)
                        .filter(t -> t.contains("leaky-worker")).findFirst().orElse(null));
        long seenAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - borrowedAt[0]);
        // The leak exists from the threshold on; the page must show it within 2 s of that.
        assertThat(seenAfterMillis).isLessThan(LEAK_THRESHOLD.toMillis() + 2000);
        assertThat(leak).contains("suspected");

        String leakyRow = CARD + " tr.held-row[data-thread='leaky-worker']";
        wait.ignoring(StaleElementReferenceException.class).until(d -> {
            d.findElement(By.cssSelector(leakyRow + " summary")).click();
            return true;
        });
        String stack = wait.until(d -> {
            WebElement pre = d.findElement(By.cssSelector(leakyRow + " pre"));
            return pre.isDisplayed() ? pre.getText() : null;
        });
        assertThat(stack).contains(BrowserConsoleTest.class.getName());
        Thread.sleep(1500); // two redraws: the opened stack must stay open
        Boolean stillOpen = wait.until(d -> d.findElement(By.cssSelector(leakyRow + " pre")).isDisplayed());
        assertThat(stillOpen).isTrue();
        screenshot("console-leak.png");

        List<String> elsewhere = requestsElsewhere(origin);
        assertThat(elsewhere).as("requests to any host but the console's").isEmpty();
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll()).extracting(LogEntry::getMessage)
                .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Refused to"));
        assertThat(browser.getPageSource()).doesNotContain("browser-test-db-secret", console.token());
        if (!cacheBefore) {
            assertThat(seleniumCache).as("Selenium Manager ran (it would download a driver)").doesNotExist();
        }
    }

    @Test
    void theTenantsTableListsTheBusiestTenantFirstAndTheDoctorsFindingsAreShown() throws Exception {
        ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).poolName("checkout").build());
        java.sql.DriverManager.getConnection("jdbc:h2:mem:browser-doctor-warm-up").close(); // see ConsoleDoctorTest
        dev.sluice.doctor.Doctor doctor = dev.sluice.doctor.Doctor.builder(SluiceConfig.builder().jdbcUrl("jdbc:h2:mem:browser-doctor")
                .maximumPoolSize(4).password("browser-test-db-secret").build()).threads(4).connectionsPerThread(2).build();
        try (dev.sluice.TenantDataSource tenants = dev.sluice.TenantDataSource.builder()
                .template(SluiceConfig.builder().jdbcUrl(db.url()).poolName("shops").build()).mode(dev.sluice.TenantMode.DATABASE)
                .tenantUrl(t -> db.url()).globalMaximumPoolSize(8).tenantMaximumPoolSize(4).build();
                Connection quiet = tenants.getConnection("quiet");
                Connection busy1 = tenants.getConnection("busy");
                Connection busy2 = tenants.getConnection("busy")) {
            console = SluiceConsole.builder().port(0).register(ds).registerTenants("shops", tenants).doctor(doctor::run).start();
            browser = startBrowser();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
            browser.get(console.url().toString());
            wait.until(d -> d.getCurrentUrl().endsWith("/login"));
            browser.findElement(By.id("secret")).sendKeys(console.token());
            browser.findElement(By.id("login")).click();

            // The tenants table and the doctor's box are rebuilt on every tick (each second): an element found
            // in one look may be gone by the next call on it, so each wait finds and reads in the same look,
            // and looks again when a redraw came in between.
            WebDriverWait redrawn = new WebDriverWait(browser, Duration.ofSeconds(10));
            redrawn.ignoring(StaleElementReferenceException.class);
            List<String> rows = redrawn.until(d -> {
                List<String> r = d.findElements(By.cssSelector("section[data-tenants='shops'] tr.tenant-row")).stream()
                        .map(e -> e.getAttribute("data-tenant")).toList();
                return r.size() == 2 ? r : null;
            });
            assertThat(rows).containsExactly("busy", "quiet");
            String inUse = redrawn.until(d -> d.findElement(By.cssSelector("section[data-tenants='shops'] [data-k='inUse']")).getText());
            assertThat(inUse).isEqualTo("3");
            assertThat(browser.findElements(By.cssSelector("section[data-tenants='shops'] .uplot canvas"))).isNotEmpty();
            String finding = redrawn.until(d -> d.findElements(By.cssSelector("#doctor tr.finding[data-id='DOC-SIZE']")).stream()
                    .findFirst().map(WebElement::getText).orElse(null));
            assertThat(finding).contains("error");
            assertThat(browser.getPageSource()).doesNotContain("browser-test-db-secret", console.token());
            screenshot("console-tenants-doctor.png");
        }
    }

    /**
     * Opt-in ({@code -Dsluice.console.fiveBrowsers=true}): five headless Chromiums stay on the page of
     * an idle pool, and the console's own threads (sampler, HTTP dispatcher and handlers, the pool's
     * housekeeper) are measured with the JVM's per-thread CPU clock over 10 s. Opt-in because five
     * browsers take a few hundred MB and most of a small machine's CPU while they start.
     */
    @Test
    void fiveBrowsersOnAnIdlePoolCostTheConsoleUnderOnePercentOfACore() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("sluice.console.fiveBrowsers"),
                "opt-in: run with -Dsluice.console.fiveBrowsers=true to measure five live browsers");
        ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).poolName("checkout").build());
        console = SluiceConsole.builder().port(0).register(ds).start();
        for (int i = 0; i < 5; i++) {
            ChromeDriver b = startBrowser();
            if (browser == null) {
                browser = b;
            } else {
                more.add(b);
            }
            b.get(console.url().toString());
            WebDriverWait wait = new WebDriverWait(b, Duration.ofSeconds(20));
            wait.until(d -> d.getCurrentUrl().endsWith("/login"));
            b.findElement(By.id("secret")).sendKeys(console.token());
            b.findElement(By.id("login")).click();
            wait.until(d -> d.findElement(By.id("status")).getText().equals("live"));
        }
        assertThat(console.liveClients()).isEqualTo(5);
        Thread.sleep(3000); // past the browsers' start-up requests
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = consoleCpuNanos(mx);
        long wall0 = System.nanoTime();
        Thread.sleep(10_000);
        long cpu = consoleCpuNanos(mx) - cpu0;
        double share = (double) cpu / (System.nanoTime() - wall0);
        System.out.printf("console threads, 5 headless browsers, idle pool: %.2f%% of one core over 10 s%n", share * 100);
        assertThat(console.liveClients()).as("all five still live").isEqualTo(5);
        // Target 1%; bounded at 5% because the machine is shared, and the figure is printed either way.
        assertThat(share).isLessThan(0.05);
    }

    private static long consoleCpuNanos(java.lang.management.ThreadMXBean mx) {
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            if (n.startsWith("sluice-console") || n.startsWith("HTTP-Dispatcher") || n.endsWith("-housekeeper")) {
                total += Math.max(0, mx.getThreadCpuTime(t.getId()));
            }
        }
        return total;
    }

    private static String number(WebElement pool, String key) {
        return pool.findElement(By.cssSelector("[data-k='" + key + "']")).getText();
    }

    /** Every URL the browser requested, from its DevTools network log, that is not on the console's origin. */
    private List<String> requestsElsewhere(String origin) {
        List<String> elsewhere = new ArrayList<>();
        Pattern url = Pattern.compile("\"url\":\"([^\"]*)\"");
        int requests = 0;
        for (LogEntry e : browser.manage().logs().get(LogType.PERFORMANCE).getAll()) {
            String m = e.getMessage();
            if (!m.contains("\"Network.requestWillBeSent\"")) {
                continue;
            }
            requests++;
            Matcher matcher = url.matcher(m);
            while (matcher.find()) {
                String u = matcher.group(1);
                if (!u.startsWith(origin + "/") && !u.startsWith("data:")) {
                    elsewhere.add(u);
                }
            }
        }
        assertThat(requests).as("requests seen in the performance log").isGreaterThanOrEqualTo(6);
        return elsewhere;
    }

    private void screenshot(String name) throws Exception {
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.write(target, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
