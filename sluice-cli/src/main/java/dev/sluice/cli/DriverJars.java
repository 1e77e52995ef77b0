package dev.sluice.cli;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * JDBC drivers the user brings as jars ({@code --driver-jar}), for databases the bundled drivers
 * (H2, PostgreSQL, MariaDB) do not reach.
 *
 * <p>The jars are opened in a class loader of their own, and each driver they declare in
 * {@code META-INF/services/java.sql.Driver} is registered with {@link DriverManager} behind a
 * {@link DriverShim}: {@code DriverManager} hands a driver only to code whose class loader can see
 * the driver's class, so a driver from a foreign loader would be registered and never found.
 *
 * <p>The loader's parent is the platform loader, not the CLI's, so a jar is self-contained: a
 * newer PostgreSQL driver given with {@code --driver-jar} runs its own classes, not the bundled
 * ones. For the same reason the brought drivers are put ahead of the bundled ones, which
 * {@code DriverManager} would otherwise ask first.
 */
final class DriverJars {
    private DriverJars() {
    }

    /**
     * Loads and registers the drivers in {@code jars}; returns their class names.
     *
     * @throws IllegalArgumentException naming the jar, when one is missing or declares no driver
     */
    static List<String> register(List<Path> jars) {
        if (jars.isEmpty()) {
            return List.of();
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = url(jars.get(i));
        }
        // Never closed: the drivers' classes are needed until the JVM exits.
        URLClassLoader loader = new URLClassLoader("sluice-driver-jars", urls, ClassLoader.getPlatformClassLoader());
        List<Driver> found = new ArrayList<>();
        try {
            for (Driver d : ServiceLoader.load(Driver.class, loader)) {
                if (d.getClass().getClassLoader() == loader) {
                    found.add(d);
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalArgumentException("a driver in " + jars + " could not be loaded: " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException(jars + " declare no JDBC driver (no META-INF/services/java.sql.Driver)");
        }
        List<Driver> bundled = Collections.list(DriverManager.getDrivers());
        List<String> names = new ArrayList<>();
        try {
            for (Driver d : bundled) {
                DriverManager.deregisterDriver(d);
            }
            for (Driver d : found) {
                DriverManager.registerDriver(new DriverShim(d));
                names.add(d.getClass().getName());
            }
            for (Driver d : bundled) {
                DriverManager.registerDriver(d);
            }
        } catch (SQLException e) {
            // Only a security manager refuses these calls, and the CLI runs without one.
            throw new IllegalStateException("could not register the drivers of " + jars, e);
        }
        return names;
    }

    private static URL url(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + ": no such file");
        }
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException(jar + ": " + e.getMessage(), e);
        }
    }
}
