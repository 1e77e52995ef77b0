package dev.sluice.sim;

import java.util.Locale;

/**
 * One profile's chart, as a self-contained SVG: on top the pool size over time (open connections,
 * and for ADAPTIVE the size the controller decided) with the arrival rate behind it; below, the
 * p99 acquisition wait of each second on a log scale (waits span five decades, from an idle
 * connection at hand to a 2 s timeout). ADAPTIVE against one fixed size; the profile's event
 * (spike, slowdown) is shaded.
 */
final class SvgChart {
    private static final int WIDTH = 860;
    private static final int LEFT = 70;
    private static final int RIGHT = 70;
    private static final int PLOT_W = WIDTH - LEFT - RIGHT;
    private static final int TOP1 = 50;
    private static final int H1 = 190;
    private static final int TOP2 = TOP1 + H1 + 60;
    private static final int H2 = 170;
    private static final int HEIGHT = TOP2 + H2 + 70;
    private static final String ADAPTIVE_COLOR = "#1f77b4";
    private static final String FIXED_COLOR = "#d62728";
    private static final String RATE_COLOR = "#bbbbbb";
    /** The log axis of the wait panel, in milliseconds. */
    private static final double WAIT_MIN = 0.01;
    private static final double WAIT_MAX = 10_000;

    private SvgChart() {
    }

    static String render(RunResult adaptive, RunResult fixed, String title) {
        LoadProfile p = adaptive.profile();
        double seconds = p.length().toMillis() / 1000.0;
        int maxSize = Math.max(adaptive.setup().maximumPoolSize(), fixed.setup().maximumPoolSize());
        double maxRate = 0;
        for (double t = 0; t < seconds; t += 0.05) {
            maxRate = Math.max(maxRate, p.rate(t));
        }
        double rateTop = niceCeiling(maxRate * 1.1);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\" font-weight=\"bold\">%s</text>%n", LEFT,
                escape(title)));

        // Panel 1: pool size, arrival rate behind it.
        panel(s, TOP1, H1, seconds, p);
        for (int v = 0; v <= maxSize; v += tick(maxSize)) {
            double y = TOP1 + H1 - (double) v / maxSize * H1;
            gridLine(s, y, Integer.toString(v));
        }
        for (double v = 0; v <= rateTop + 1e-9; v += rateTop / 4) {
            double y = TOP1 + H1 - v / rateTop * H1;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" fill=\"#888\">%.0f</text>%n", LEFT + PLOT_W + 6, y + 4, v));
        }
        StringBuilder rate = new StringBuilder();
        for (double t = 0; t <= seconds; t += seconds / 400) {
            rate.append(point(x(t, seconds), TOP1 + H1 - p.rate(Math.min(t, seconds - 1e-6)) / rateTop * H1));
        }
        polyline(s, rate, RATE_COLOR, 1.5, null);
        polyline(s, sizeLine(fixed.trace(), seconds, maxSize, false), FIXED_COLOR, 2, null);
        polyline(s, sizeLine(adaptive.trace(), seconds, maxSize, true), ADAPTIVE_COLOR, 1.2, "5,3");
        polyline(s, sizeLine(adaptive.trace(), seconds, maxSize, false), ADAPTIVE_COLOR, 2, null);
        axisLabel(s, TOP1, H1, "open connections", "arrivals/s");

        // Panel 2: p99 wait per second, log scale.
        panel(s, TOP2, H2, seconds, p);
        for (double v = WAIT_MIN; v <= WAIT_MAX * 1.001; v *= 10) {
            gridLine(s, waitY(v), v < 1 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.0f", v));
        }
        double timeout = PoolSetup.CONNECTION_TIMEOUT.toMillis();
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"2,3\"/>%n",
                LEFT, LEFT + PLOT_W, waitY(timeout), waitY(timeout)));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" fill=\"#888\">timeout</text>%n", LEFT + PLOT_W + 6,
                waitY(timeout) + 4));
        polyline(s, waitLine(fixed.p99BySecond(), seconds), FIXED_COLOR, 2, null);
        polyline(s, waitLine(adaptive.p99BySecond(), seconds), ADAPTIVE_COLOR, 2, null);
        axisLabel(s, TOP2, H2, "p99 wait (ms), per second", null);
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">seconds into the run</text>%n",
                LEFT + PLOT_W / 2, TOP2 + H2 + 34));

        // Legend.
        int ly = HEIGHT - 16;
        legend(s, LEFT, ly, ADAPTIVE_COLOR, null, adaptive.setup().label() + " (open)");
        legend(s, LEFT + 190, ly, ADAPTIVE_COLOR, "5,3", "ADAPTIVE decided size");
        legend(s, LEFT + 380, ly, FIXED_COLOR, null, fixed.setup().label() + " (best fixed)");
        legend(s, LEFT + 570, ly, RATE_COLOR, null, "arrival rate");
        s.append("</svg>\n");
        return s.toString();
    }

    private static void panel(StringBuilder s, int top, int h, double seconds, LoadProfile p) {
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n",
                LEFT, top, PLOT_W, h));
        if (p.hasEvent()) {
            double x0 = x(p.eventStart(), seconds);
            double x1 = x(p.eventEnd(), seconds);
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#f5e6c8\" opacity=\"0.7\"/>%n",
                    x0, top, x1 - x0, h));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#a07020\">%s</text>%n", x0 + 3, top + 14,
                    p.name()));
        }
        int step = (int) Math.max(1, Math.ceil(seconds / 10));
        for (int t = 0; t <= seconds + 1e-9; t += step) {
            double x = x(t, seconds);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#eee\"/>%n", x, x, top, top + h));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", x, top + h + 16, t));
        }
    }

    private static void gridLine(StringBuilder s, double y, String label) {
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>%n", LEFT, LEFT + PLOT_W, y, y));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 4, label));
    }

    private static void axisLabel(StringBuilder s, int top, int h, String left, String right) {
        s.append(String.format(Locale.ROOT, "<text transform=\"translate(%d,%d) rotate(-90)\" text-anchor=\"middle\">%s</text>%n",
                LEFT - 48, top + h / 2, escape(left)));
        if (right != null) {
            s.append(String.format(Locale.ROOT, "<text transform=\"translate(%d,%d) rotate(90)\" text-anchor=\"middle\" fill=\"#888\">%s</text>%n",
                    LEFT + PLOT_W + 52, top + h / 2, escape(right)));
        }
    }

    private static void legend(StringBuilder s, int x, int y, String color, String dash, String label) {
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>%n", x, x + 24, y - 4,
                y - 4, color, dash == null ? "" : " stroke-dasharray=\"" + dash + "\""));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x + 30, y, escape(label)));
    }

    private static void polyline(StringBuilder s, CharSequence points, String color, double width, String dash) {
        if (points.length() == 0) {
            return;
        }
        s.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"%s points=\"%s\"/>%n", color, width,
                dash == null ? "" : " stroke-dasharray=\"" + dash + "\"", points.toString().trim()));
    }

    private static CharSequence sizeLine(SizeTrace trace, double seconds, int maxSize, boolean limit) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < trace.size(); i++) {
            int v = limit ? trace.limit(i) : trace.open(i);
            b.append(point(x(trace.time(i), seconds), TOP1 + H1 - (double) Math.min(v, maxSize) / maxSize * H1));
        }
        return b;
    }

    /** One point per second, at the middle of the second; seconds without borrows leave a gap-free line. */
    private static CharSequence waitLine(double[] p99, double seconds) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < p99.length; i++) {
            if (!Double.isNaN(p99[i])) {
                b.append(point(x(Math.min(i + 0.5, seconds), seconds), waitY(p99[i])));
            }
        }
        return b;
    }

    private static double waitY(double millis) {
        double v = Math.max(WAIT_MIN, Math.min(WAIT_MAX, millis));
        return TOP2 + H2 - (Math.log10(v) - Math.log10(WAIT_MIN)) / (Math.log10(WAIT_MAX) - Math.log10(WAIT_MIN)) * H2;
    }

    private static double x(double t, double seconds) {
        return LEFT + t / seconds * PLOT_W;
    }

    private static String point(double x, double y) {
        return String.format(Locale.ROOT, "%.1f,%.1f ", x, y);
    }

    private static int tick(int max) {
        return max <= 10 ? 1 : max <= 20 ? 2 : max <= 40 ? 4 : max <= 80 ? 10 : 20;
    }

    private static double niceCeiling(double v) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 4, 5, 8, 10}) {
            if (m * magnitude >= v) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
