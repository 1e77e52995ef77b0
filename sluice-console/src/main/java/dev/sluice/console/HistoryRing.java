package dev.sluice.console;

/**
 * The last {@link #CAPACITY} one-second samples of one pool, in primitive arrays: 15 minutes in
 * about 34 KB per pool ({@link #BYTES_PER_SAMPLE} bytes a sample), so even 50 pools stay under
 * 2 MB. Written by the sampler thread only; read under the same monitor when a snapshot is built.
 */
final class HistoryRing {
    static final int CAPACITY = 900;
    /** One long and seven ints per sample. */
    static final int BYTES_PER_SAMPLE = 8 + 7 * 4;

    private final long[] epochSecond = new long[CAPACITY];
    private final int[] open = new int[CAPACITY];
    private final int[] inUse = new int[CAPACITY];
    private final int[] idle = new int[CAPACITY];
    private final int[] pending = new int[CAPACITY];
    /** Mean latencies over the second, in microseconds, -1 when nothing was measured in it. */
    private final int[] acquireMicros = new int[CAPACITY];
    private final int[] holdMicros = new int[CAPACITY];
    private final int[] createMicros = new int[CAPACITY];
    private int next;
    private int size;

    synchronized void add(long second, int open, int inUse, int idle, int pending, int acquireUs, int holdUs, int createUs) {
        epochSecond[next] = second;
        this.open[next] = open;
        this.inUse[next] = inUse;
        this.idle[next] = idle;
        this.pending[next] = pending;
        acquireMicros[next] = acquireUs;
        holdMicros[next] = holdUs;
        createMicros[next] = createUs;
        next = (next + 1) % CAPACITY;
        size = Math.min(size + 1, CAPACITY);
    }

    synchronized int size() {
        return size;
    }

    /** The samples oldest first, as parallel arrays (uPlot's data layout). */
    synchronized void write(Json json) {
        json.object();
        column(json, "t", i -> epochSecond[i]);
        column(json, "open", i -> open[i]);
        column(json, "inUse", i -> inUse[i]);
        column(json, "idle", i -> idle[i]);
        column(json, "pending", i -> pending[i]);
        column(json, "acquireUs", i -> acquireMicros[i]);
        column(json, "holdUs", i -> holdMicros[i]);
        column(json, "createUs", i -> createMicros[i]);
        json.end();
    }

    private void column(Json json, String name, java.util.function.IntToLongFunction value) {
        json.name(name).array();
        int start = (next - size + CAPACITY) % CAPACITY;
        for (int k = 0; k < size; k++) {
            json.value(value.applyAsLong((start + k) % CAPACITY));
        }
        json.endArray();
    }
}
