package dev.sluice.doctor.internal;

import static dev.sluice.doctor.internal.Findings.values;

import dev.sluice.doctor.Severity;

/**
 * DOC-FD: the bound every connection pool lives under on its own machine, maximumPoolSize ≤
 * min(heap / memory per connection, file descriptors − those the application needs for itself).
 * Each connection is a socket (one descriptor) and holds driver buffers and caches; a driver's
 * statement cache fills with distinct statements, so {@link #BYTES_PER_CONNECTION} is a working
 * estimate, not a ceiling. Measured on the JVM that runs the check: run it with the application's
 * -Xmx and limits for the numbers to be the application's. A warning, as it is about the machine;
 * an error when the pool alone needs more descriptors than the process may open at all.
 */
final class FileDescriptorRule implements Rule {
    static final long BYTES_PER_CONNECTION = 1L << 20;
    /** Descriptors left for the application's own files, sockets and jars. */
    static final long RESERVED_DESCRIPTORS = 256;

    @Override
    public void check(CheckInput in, ServerFacts s, Findings out) {
        MachineFacts m = in.machine();
        int max = in.config().maximumPoolSize();
        long heapBound = m.maxHeapBytes() / BYTES_PER_CONNECTION;
        long fdBound = m.maxFileDescriptors() < 0 ? Long.MAX_VALUE : Math.max(0, m.maxFileDescriptors() - RESERVED_DESCRIPTORS);
        var v = values("maximumPoolSize", max, "max_heap_mb", m.maxHeapBytes() >> 20, "per_connection_mb", BYTES_PER_CONNECTION >> 20,
                "max_file_descriptors", m.maxFileDescriptors() < 0 ? null : m.maxFileDescriptors(),
                "reserved_descriptors", m.maxFileDescriptors() < 0 ? null : RESERVED_DESCRIPTORS);
        if (m.maxFileDescriptors() >= 0 && max > m.maxFileDescriptors()) {
            out.add("DOC-FD", Severity.ERROR, "maximumPoolSize=" + max + " is more connections than this process may open files"
                    + " (limit " + m.maxFileDescriptors() + "): the pool can never fill", v,
                    "lower maximumPoolSize below " + fdBound + ", or raise the limit (ulimit -n, LimitNOFILE=)");
        } else if (max > Math.min(heapBound, fdBound)) {
            String by = heapBound <= fdBound
                    ? "the heap: " + (m.maxHeapBytes() >> 20) + " MB / about " + (BYTES_PER_CONNECTION >> 20) + " MB per connection = " + heapBound
                    : "file descriptors: " + m.maxFileDescriptors() + " − " + RESERVED_DESCRIPTORS + " for the application = " + fdBound;
            out.add("DOC-FD", Severity.WARNING, "maximumPoolSize=" + max + " is above what this JVM can hold, bounded by " + by, v,
                    "lower maximumPoolSize to " + Math.min(heapBound, fdBound) + " or less, or give the JVM more heap (-Xmx) and descriptors (ulimit -n)");
        }
    }
}
