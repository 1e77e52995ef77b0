package dev.sluice.micrometer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which tenants get a {@code tenant} tag of their own: at most {@code cap}, the busiest, with
 * hysteresis so that tags do not flap between two tenants of about the same load. A tenant
 * already tagged keeps its tag until a tenant outside is more than {@value #HYSTERESIS} times as
 * busy (and busy at all); free places go to the busiest tenants outside that did anything. Pure
 * logic: the caller decides when to review and what "busy" is.
 */
final class BusiestTenants {
    /** How much busier a tenant must be than the least busy tagged one to take its place. */
    static final double HYSTERESIS = 2.0;

    private BusiestTenants() {
    }

    /**
     * The tagged set after a review.
     *
     * @param tagged  the tenants tagged now (not changed)
     * @param scores  every tenant's activity since the last review; a tagged tenant missing here scores 0
     * @param cap     the most tenants tagged
     * @param never   a tenant id that is never tagged (the name of the aggregate series)
     */
    static Set<String> review(Set<String> tagged, Map<String, Long> scores, int cap, String never) {
        Comparator<String> busiestFirst = Comparator.<String>comparingLong(t -> scores.getOrDefault(t, 0L)).reversed()
                .thenComparing(Comparator.naturalOrder());
        List<String> incumbents = new ArrayList<>(tagged);
        incumbents.sort(busiestFirst);
        while (incumbents.size() > cap) {
            incumbents.remove(incumbents.size() - 1); // the cap was lowered: only by a test, but stay within it
        }
        List<String> challengers = new ArrayList<>();
        for (Map.Entry<String, Long> e : scores.entrySet()) {
            if (e.getValue() > 0 && !tagged.contains(e.getKey()) && !e.getKey().equals(never)) {
                challengers.add(e.getKey());
            }
        }
        challengers.sort(busiestFirst);
        Set<String> next = new HashSet<>(incumbents);
        int c = 0;
        while (c < challengers.size() && next.size() < cap) {
            next.add(challengers.get(c++));
        }
        // The busiest challenger against the least busy incumbent, until the challenger no longer wins clearly.
        int weakest = incumbents.size() - 1;
        while (c < challengers.size() && weakest >= 0) {
            long challenger = scores.get(challengers.get(c));
            long incumbent = scores.getOrDefault(incumbents.get(weakest), 0L);
            if (challenger <= HYSTERESIS * incumbent) {
                break;
            }
            next.remove(incumbents.get(weakest--));
            next.add(challengers.get(c++));
        }
        return next;
    }
}
