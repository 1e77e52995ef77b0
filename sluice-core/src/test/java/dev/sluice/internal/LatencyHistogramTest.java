package dev.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.LatencySummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void anEmptyHistogramCountsNothingAndSummarisesAsEmpty() {
        LatencyHistogram h = new LatencyHistogram();

        assertThat(h.count()).isZero();
        assertThat(h.summary()).isSameAs(LatencySummary.EMPTY);
        assertThat(h.summary(3).count()).isEqualTo(3);
    }

    /** Buckets are created on their first value: threads racing to create the same one lose no count. */
    @Test
    void threadsRecordingIntoTheSameNewBucketAtOnceLoseNoCount() throws Exception {
        int threads = 8;
        int perThread = 20_000;
        for (int trial = 0; trial < 20; trial++) {
            LatencyHistogram h = new LatencyHistogram();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> started = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        h.record(1_000 + (i & 1));
                        h.record(0);
                    }
                });
                th.start();
                started.add(th);
            }
            go.countDown();
            for (Thread th : started) {
                th.join();
            }

            assertThat(h.count()).isEqualTo(2L * threads * perThread);
            assertThat(h.summary().count()).isEqualTo(2L * threads * perThread);
        }
    }

    /** Buckets live in chunks created on first use: values from the first bucket to the last are all counted where they land. */
    @Test
    void valuesAcrossTheWholeRangeAreCountedInTheirBuckets() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(0);
        for (int bit = 0; bit < 63; bit++) {
            h.record(1L << bit);
        }
        h.record(Long.MAX_VALUE);

        assertThat(h.count()).isEqualTo(65);
        LatencySummary s = h.summary();
        assertThat(s.count()).isEqualTo(65);
        assertThat(s.max()).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
        // 32 of the 65 values are at most 2^31 ns: the median's bucket is the one 2^31 lands in.
        assertThat(s.p50().toNanos()).isBetween(1L << 31, (1L << 31) + (1L << 29));
    }

    @Test
    void percentilesComeFromTheBucketsValuesLandedIn() {
        LatencyHistogram h = new LatencyHistogram();
        for (int micros = 1; micros <= 1_000; micros++) {
            h.record(micros * 1_000L);
        }

        LatencySummary s = h.summary();
        assertThat(s.count()).isEqualTo(1_000);
        assertThat(s.max()).isEqualTo(Duration.ofMillis(1));
        // Four buckets per power of two: a reported percentile is at most 25% above the true value.
        assertThat(s.p50().toNanos()).isBetween(500_000L, 625_000L);
        assertThat(s.p99().toNanos()).isBetween(990_000L, 1_000_000L);
    }
}
