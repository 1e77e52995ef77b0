package dev.sluice.internal;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the known name a mistyped one was most likely meant to be, for "did you mean ...?"
 * hints. Case, dashes, underscores and dots are ignored, so {@code maximum-pool-size} (Spring
 * style) and {@code MAXIMUMPOOLSIZE} both point at {@code maximumPoolSize}; beyond that the
 * Levenshtein distance decides, and a name too far from every candidate gets no suggestion, since
 * a wrong guess misleads more than none.
 */
public final class ClosestName {
    private ClosestName() {
    }

    /** The candidate closest to {@code name}, if one is close enough to be a plausible typo. */
    public static Optional<String> among(String name, Collection<String> candidates) {
        String wanted = normalize(name);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(wanted, normalize(candidate));
            if (d < bestDistance || (d == bestDistance && best != null && candidate.compareTo(best) < 0)) {
                best = candidate;
                bestDistance = d;
            }
        }
        // One edit per four characters, at least two: "maxPoolSize" still finds maximumPoolSize's
        // neighbours only if they are close, while "foo" suggests nothing.
        int allowed = Math.max(2, wanted.length() / 4);
        return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
    }

    private static String normalize(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '-' && c != '_' && c != '.') {
                b.append(c);
            }
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }

    /** Levenshtein distance with two rows. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
