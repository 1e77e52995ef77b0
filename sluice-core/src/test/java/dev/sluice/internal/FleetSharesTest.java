package dev.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The fleet's share arithmetic on scripted views: deterministic, no database. */
class FleetSharesTest {

    private static int[] allocate(int budget, int... wants) {
        String[] ids = new String[wants.length];
        int[] floors = new int[wants.length];
        double[] weights = new double[wants.length];
        for (int i = 0; i < wants.length; i++) {
            ids[i] = "i" + i;
            floors[i] = 2;
            weights[i] = 1;
        }
        return FleetShares.allocate(budget, ids, wants, floors, weights);
    }

    @Test
    void oneBusyInstanceTakesWhatTheIdleOnesLeave() {
        // Four instances, one wanting 37 (24 callers x 1.5 + its control connection), three idle at their floor.
        assertThat(allocate(40, 37, 2, 2, 2)).containsExactly(34, 2, 2, 2);
    }

    @Test
    void twoBusyInstancesSplitTheRestEvenly() {
        assertThat(allocate(40, 37, 37, 2, 2)).containsExactly(18, 18, 2, 2);
    }

    @Test
    void anInstanceWantingLessThanItsShareGetsWhatItWantsAndTheRestGoesToTheOthers() {
        // Max-min fairness: 5 is below the even split, so it is met in full; 40 - 5 - 4 = 31 for the big one.
        assertThat(allocate(40, 37, 5, 2, 2)).containsExactly(31, 5, 2, 2);
        assertThat(allocate(40, 10, 12, 30)).containsExactly(10, 12, 18);
    }

    @Test
    void everyoneGetsAllItWantsWhenTheBudgetSuffices() {
        assertThat(allocate(40, 10, 5, 3)).containsExactly(10, 5, 3);
    }

    @Test
    void floorsAreKeptEvenWhenTheyAloneExceedTheBudget() {
        assertThat(allocate(5, 10, 10, 10)).containsExactly(2, 2, 2);
    }

    @Test
    void sharesNeverSumAboveTheBudgetAndOddUnitsGoByIdNotByCaller() {
        int[] s = allocate(41, 37, 37, 37);
        assertThat(Arrays.stream(s).sum()).isEqualTo(41);
        // 41 - 6 floors = 35 over three: 12, 12, 11; the extra unit goes to the first id, on every instance alike.
        assertThat(s).containsExactly(14, 14, 13);
    }

    @Test
    void weightsDivideTheRestInProportion() {
        int[] s = FleetShares.allocate(32, new String[] {"a", "b"}, new int[] {100, 100}, new int[] {1, 1}, new double[] {3, 1});
        assertThat(s).containsExactly(24, 8);
    }

    @Test
    void aClaimIsTheFairShareBoundedByTheRoomTheOthersLeave() {
        // Fair share 34, but another instance still holds 18 connections while it shrinks: room 40 - 18 - 4 = 18.
        assertThat(FleetShares.claim(40, 34, 22, 2)).isEqualTo(18);
        // Room enough: the fair share.
        assertThat(FleetShares.claim(40, 18, 6, 2)).isEqualTo(18);
        // No room at all: the floor, so the instance stays visible and can serve.
        assertThat(FleetShares.claim(40, 18, 40, 2)).isEqualTo(2);
    }

    @Test
    void aDefaultInstanceIdIsSafeAndShortAndKeepsThePid() {
        assertThat(FleetBudget.instanceId("web-01.prod.example.com", 12345)).isEqualTo("web-01-12345");
        assertThat(FleetBudget.instanceId("a-very-long-host-name-indeed", 4194304)).isEqualTo("a-very-long--4194304").hasSize(20);
        assertThat(FleetBudget.instanceId("h\u00f6st'; drop", 7)).isEqualTo("h_st___drop-7");
        assertThat(FleetBudget.instanceId("", 7)).isEqualTo("host-7");
    }
}
