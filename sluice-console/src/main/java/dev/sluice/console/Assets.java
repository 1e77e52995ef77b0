package dev.sluice.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console's files, read once from the class path when the console starts: its own pages,
 * script and style, and uPlot (MIT) from its WebJar. Nothing is ever fetched from another host,
 * so the console works offline and the CSP can say {@code 'self'} only.
 */
final class Assets {
    static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/";
    private static final String OWN = "/dev/sluice/console/assets/";

    /** One file as served. */
    record Asset(String contentType, byte[] body) {
    }

    /** URL path → file; the order is the route table's. */
    static Map<String, Asset> load() {
        Map<String, Asset> m = new LinkedHashMap<>();
        m.put("/", own("index.html", "text/html; charset=utf-8"));
        m.put("/login", own("login.html", "text/html; charset=utf-8"));
        m.put("/assets/console.js", own("console.js", "text/javascript; charset=utf-8"));
        m.put("/assets/console.css", own("console.css", "text/css; charset=utf-8"));
        m.put("/assets/uPlot.iife.min.js", read(UPLOT + "dist/uPlot.iife.min.js", "text/javascript; charset=utf-8"));
        m.put("/assets/uPlot.min.css", read(UPLOT + "dist/uPlot.min.css", "text/css; charset=utf-8"));
        m.put("/assets/uPlot-LICENSE.txt", read(UPLOT + "LICENSE", "text/plain; charset=utf-8"));
        return m;
    }

    /** Through the class, so a file in this module's own package is found on the module path too. */
    private static Asset own(String name, String type) {
        return read(OWN + name, type, Assets.class.getResourceAsStream(OWN + name));
    }

    /** META-INF of another jar is no module's package: the class loader finds it on either path. */
    private static Asset read(String resource, String type) {
        return read(resource, type, Assets.class.getClassLoader().getResourceAsStream(resource));
    }

    private static Asset read(String resource, String type, InputStream stream) {
        try (InputStream in = stream) {
            if (in == null) {
                throw new IllegalStateException("console file missing from the class path: " + resource
                        + " (is org.webjars.npm:uplot:1.6.30 on the class path?)");
            }
            return new Asset(type, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read console file " + resource, e);
        }
    }

    /** Total bytes served to a browser that loads every file once. */
    static long totalBytes(Map<String, Asset> assets) {
        return assets.values().stream().mapToLong(a -> a.body().length).sum();
    }
}
