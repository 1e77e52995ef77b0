package dev.sluice.internal;

import java.util.PriorityQueue;

/**
 * The share arithmetic of a fleet: a weighted max-min fair division of a connection budget among
 * instances by what each wants. Every instance gets its floor first (a control connection and one
 * pooled connection, so it stays visible and can serve); the rest goes one connection at a time
 * to the instance that still wants more and has the least per unit of weight, ties to the
 * instance named first in sort order. So an instance that wants little gets all it wants, and
 * the rest share what is left in proportion to their weights; the result is the same on every
 * instance that computes it from the same view, which is what lets them agree without talking.
 *
 * <p>Pure logic, no database: {@link FleetBudget} feeds it the fleet as pg_stat_activity shows it.
 */
final class FleetShares {
    private FleetShares() {
    }

    /**
     * @param budget connections for the whole fleet
     * @param ids    the instances' ids, for a tie-break every instance agrees on
     * @param wants  what each instance wants (its demand, counting its control connection)
     * @param floors what each instance keeps whatever the others want
     * @param weights each instance's weight, above 0
     * @return each instance's share; their sum is at most the budget unless the floors alone exceed it
     */
    static int[] allocate(int budget, String[] ids, int[] wants, int[] floors, double[] weights) {
        int n = ids.length;
        int[] share = new int[n];
        long left = budget;
        for (int i = 0; i < n; i++) {
            share[i] = floors[i];
            left -= floors[i];
        }
        if (left <= 0) {
            return share;
        }
        PriorityQueue<Integer> hungry = new PriorityQueue<>((a, b) -> {
            int c = Double.compare(share[a] / weights[a], share[b] / weights[b]);
            return c != 0 ? c : ids[a].compareTo(ids[b]);
        });
        for (int i = 0; i < n; i++) {
            if (wants[i] > share[i]) {
                hungry.add(i);
            }
        }
        while (left > 0 && !hungry.isEmpty()) {
            int i = hungry.poll();
            share[i]++;
            left--;
            if (wants[i] > share[i]) {
                hungry.add(i);
            }
        }
        return share;
    }

    /**
     * What an instance may claim now: its fair share, but never more than the room the others
     * leave. The others hold the larger of what they claimed and what the server shows them
     * using (an instance shrinking still has connections open past its new claim; one growing
     * may be connecting within its claim before the server shows it).
     *
     * @param budget the fleet's budget
     * @param fair   this instance's fair share
     * @param othersHeld the sum over the other instances of max(claim, connections seen)
     * @param floor  the least this instance keeps
     */
    static int claim(int budget, int fair, int othersHeld, int floor) {
        int room = budget - othersHeld;
        return Math.max(floor, Math.min(fair, room));
    }
}
