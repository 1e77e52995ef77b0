package dev.sluice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.infra.ThreadParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Per-thread operation counts of a multi-threaded benchmark, and after each measurement iteration
 * the fairness ratio: the most-served thread's count over the least-served thread's (1.0 is
 * perfectly even; a thread served zero times counts as one, so a starved thread shows as a huge
 * ratio rather than a division by zero).
 *
 * <p>JMH sums {@code @AuxCounters} over threads, which loses exactly the spread we want, so each
 * thread counts in its own {@link ThreadCount} and the ledger reads them all at the end of the
 * iteration. That read is safe: JMH runs a benchmark-scoped iteration tear-down only after every
 * thread has left the measurement loop (through a latch, which orders the plain writes before it).
 *
 * <p>Beside each thread's count, the ledger reads the CPU time the thread got in the iteration,
 * and gives the same most-over-least ratio for it. When threads outnumber cores, the kernel
 * decides how much CPU each thread gets, and over half a second that is not even (measured with
 * 16 threads that never wait, on 2 cores: 1.4–1.9). A pool whose count ratio equals the CPU
 * ratio serves every thread alike per CPU second; a count ratio above it is the pool's own.
 *
 * <p>The ratios are printed with the JMH output, and appended as a CSV line
 * ({@code benchmark,pool,threads,most,least,ratio,cpuRatio}; cpuRatio is empty where the JVM
 * cannot measure thread CPU time) to the file named by the system property
 * {@code sluice.bench.fairness} when it is set; bench/Report.java reads that file.
 */
@State(Scope.Benchmark)
public class FairnessLedger {
    public static final String FILE_PROPERTY = "sluice.bench.fairness";

    private static final ThreadMXBean THREAD_CPU = ManagementFactory.getThreadMXBean();

    private ThreadCount[] threads;

    @Setup(Level.Trial)
    public void size(BenchmarkParams params) {
        threads = new ThreadCount[params.getThreads()];
    }

    @TearDown(Level.Iteration)
    public void record(BenchmarkParams params, IterationParams iteration) {
        if (iteration.getType() != IterationType.MEASUREMENT) {
            return;
        }
        long most = Long.MIN_VALUE;
        long least = Long.MAX_VALUE;
        long mostCpu = Long.MIN_VALUE;
        long leastCpu = Long.MAX_VALUE;
        for (ThreadCount t : threads) {
            long n = t == null ? 0 : t.count;
            most = Math.max(most, n);
            least = Math.min(least, n);
            long cpu = t == null || t.cpuAtStart < 0 ? -1 : THREAD_CPU.getThreadCpuTime(t.threadId) - t.cpuAtStart;
            mostCpu = Math.max(mostCpu, cpu);
            leastCpu = Math.min(leastCpu, cpu);
        }
        double ratio = (double) most / Math.max(1, least);
        String cpuRatio = leastCpu > 0 ? String.format(Locale.ROOT, "%.4f", (double) mostCpu / leastCpu) : "";
        String benchmark = params.getBenchmark();
        benchmark = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        String pool = params.getParam("pool");
        System.out.printf(Locale.ROOT, "%n(fairness %s %s: most-served thread %d ops, least-served %d ops, ratio %.2f;"
                + " CPU time most/least %s)%n", benchmark, pool, most, least, ratio, cpuRatio.isEmpty() ? "not measured" : cpuRatio);
        String file = System.getProperty(FILE_PROPERTY);
        if (file != null && !file.isEmpty()) {
            String line = String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%.4f,%s%n", benchmark, pool, threads.length, most, least, ratio,
                    cpuRatio);
            try {
                Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** One thread's operations in the current iteration. */
    @State(Scope.Thread)
    public static class ThreadCount {
        long count;
        long threadId;
        /** The thread's CPU time at the iteration's start, in ns; -1 where the JVM cannot tell. */
        long cpuAtStart;

        @Setup(Level.Iteration)
        public void reset(FairnessLedger ledger, ThreadParams thread) {
            count = 0;
            threadId = Thread.currentThread().getId();
            cpuAtStart = THREAD_CPU.isCurrentThreadCpuTimeSupported() ? THREAD_CPU.getCurrentThreadCpuTime() : -1;
            ledger.threads[thread.getThreadIndex()] = this;
        }
    }
}
