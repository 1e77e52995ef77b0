package dev.sluice.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The summary of bench/startup-footprint.sh: per pool, the mean of each measure over rounds with a
 * 95% confidence interval (Student's t over the per-round values; the repeats inside a round are
 * first reduced to one value, as they share a JVM), and Sluice / HikariCP as the geometric mean of
 * the per-round ratios with a 95% interval from the t distribution of their logarithms (a round
 * runs both pools back to back, so drift of the machine cancels within a round).
 */
final class Summary {
    /** Two-sided 95% Student t quantiles for 1..30 degrees of freedom. */
    private static final double[] T95 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
        2.056, 2.052, 2.048, 2.045, 2.042};

    private Summary() {
    }

    static void print(Path startup, Path footprint) throws IOException {
        if (Files.exists(startup) && Files.size(startup) > 0) {
            // round,pool,iteration,ctor_ms,open_ms
            Map<String, Map<String, List<double[]>>> rows = read(startup);
            System.out.println("Start-up to " + "all connections open (ms), per pool: mean +- 95% CI over rounds");
            measure(rows, "first pool in a fresh JVM (open)", r -> first(r, 4));
            measure(rows, "warm JVM, median of repeats 2.. (open)", r -> medianAfterFirst(r, 4));
            measure(rows, "first pool in a fresh JVM (constructor returned)", r -> first(r, 3));
            measure(rows, "warm JVM, median of repeats 2.. (constructor returned)", r -> medianAfterFirst(r, 3));
        }
        if (Files.exists(footprint) && Files.size(footprint) > 0) {
            // round,pool,cycle,size,raw-base,pool-raw all,pool-raw pool classes,driver,other (bytes per connection)
            Map<String, Map<String, List<double[]>>> rows = read(footprint);
            System.out.println();
            System.out.println("Retained heap per idle connection (bytes), per pool: mean +- 95% CI over rounds");
            measure(rows, "pool - raw, all classes (the pool's whole footprint / N)", r -> mean(r, 5));
            measure(rows, "pool - raw, the pool's own classes only", r -> mean(r, 6));
            measure(rows, "pool - raw, org.postgresql classes", r -> mean(r, 7));
            measure(rows, "pool - raw, all other (JDK) classes", r -> mean(r, 8));
            measure(rows, "raw - base: a plain pgjdbc connection (sanity)", r -> mean(r, 4));
        }
    }

    /** pool -> round -> rows of numbers (the CSV's columns, non-numbers as NaN). */
    private static Map<String, Map<String, List<double[]>>> read(Path csv) throws IOException {
        Map<String, Map<String, List<double[]>>> m = new TreeMap<>();
        for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
            String[] f = line.trim().split(",");
            if (f.length < 4) {
                continue;
            }
            double[] v = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                try {
                    v[i] = Double.parseDouble(f[i]);
                } catch (NumberFormatException e) {
                    v[i] = Double.NaN;
                }
            }
            m.computeIfAbsent(f[1], k -> new TreeMap<>()).computeIfAbsent(f[0], k -> new ArrayList<>()).add(v);
        }
        return m;
    }

    private static void measure(Map<String, Map<String, List<double[]>>> rows, String title,
            ToDoubleFunction<List<double[]>> perRound) {
        System.out.println("  " + title);
        Map<String, Map<String, Double>> values = new TreeMap<>();
        rows.forEach((pool, rounds) -> {
            Map<String, Double> v = new TreeMap<>();
            rounds.forEach((round, r) -> v.put(round, perRound.applyAsDouble(r)));
            values.put(pool, v);
            double[] x = v.values().stream().mapToDouble(Double::doubleValue).toArray();
            System.out.printf(Locale.ROOT, "    %-8s %10.1f +- %8.1f  (n=%d rounds)%n", pool, mean(x), halfWidth(x), x.length);
        });
        Map<String, Double> s = values.get("sluice");
        Map<String, Double> h = values.get("hikari");
        if (s != null && h != null) {
            List<Double> logs = new ArrayList<>();
            s.forEach((round, sv) -> {
                Double hv = h.get(round);
                if (hv != null && sv > 0 && hv > 0) {
                    logs.add(Math.log(sv / hv));
                }
            });
            double[] l = logs.stream().mapToDouble(Double::doubleValue).toArray();
            if (l.length >= 2) {
                double m = mean(l);
                double hw = halfWidth(l);
                System.out.printf(Locale.ROOT, "    sluice/hikari %.3f [%.3f, %.3f]  (geometric mean of %d paired rounds, 95%% CI)%n",
                        Math.exp(m), Math.exp(m - hw), Math.exp(m + hw), l.length);
            } else {
                double sm = mean(s.values().stream().mapToDouble(Double::doubleValue).toArray());
                double hm = mean(h.values().stream().mapToDouble(Double::doubleValue).toArray());
                System.out.printf(Locale.ROOT, "    sluice/hikari %.3f (ratio of means; signs differ or too few rounds for an interval)%n",
                        sm / hm);
            }
        }
    }

    private static double first(List<double[]> r, int column) {
        return r.stream().filter(v -> v[2] == 1).mapToDouble(v -> v[column]).findFirst().orElse(Double.NaN);
    }

    private static double medianAfterFirst(List<double[]> r, int column) {
        double[] x = r.stream().filter(v -> v[2] > 1).mapToDouble(v -> v[column]).sorted().toArray();
        if (x.length == 0) {
            return Double.NaN;
        }
        return x.length % 2 == 1 ? x[x.length / 2] : (x[x.length / 2 - 1] + x[x.length / 2]) / 2;
    }

    private static double mean(List<double[]> r, int column) {
        return r.stream().mapToDouble(v -> v[column]).average().orElse(Double.NaN);
    }

    private static double mean(double[] x) {
        return Arrays.stream(x).average().orElse(Double.NaN);
    }

    /** Half-width of the 95% confidence interval of the mean. */
    private static double halfWidth(double[] x) {
        if (x.length < 2) {
            return Double.NaN;
        }
        double m = mean(x);
        double ss = 0;
        for (double v : x) {
            ss += (v - m) * (v - m);
        }
        double sd = Math.sqrt(ss / (x.length - 1));
        int df = x.length - 1;
        double t = df <= T95.length ? T95[df - 1] : 1.96;
        return t * sd / Math.sqrt(x.length);
    }
}
