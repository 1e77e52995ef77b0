package dev.sluice.doctor.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine and JVM the check runs on: cores, heap, file descriptors, the OS's TCP keepalive.
 * Rules about them speak of "this machine", and are warnings at most unless the pool could not
 * work here at all.
 *
 * @param cores             available processors
 * @param maxHeapBytes      the JVM's maximum heap
 * @param maxFileDescriptors the process's descriptor limit; -1 when the platform does not say
 * @param tcpKeepaliveIdle  seconds of silence before the OS sends the first TCP keepalive probe; -1 when unknown
 */
public record MachineFacts(int cores, long maxHeapBytes, long maxFileDescriptors, long tcpKeepaliveIdle) {

    /** This JVM on this machine. */
    public static MachineFacts current() {
        return new MachineFacts(Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory(),
                fileDescriptorLimit(), tcpKeepaliveIdleSeconds());
    }

    private static long fileDescriptorLimit() {
        try {
            OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
                return unix.getMaxFileDescriptorCount();
            }
        } catch (LinkageError | RuntimeException e) {
            // jdk.management is optional: without it the limit is unknown and the rule skips that bound.
        }
        return -1;
    }

    private static long tcpKeepaliveIdleSeconds() {
        // Read as a stream: /proc files report size 0, and Files.readString trusts the size and stops short.
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/tcp_keepalive_time"))) {
            return Long.parseLong(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException | SecurityException e) {
            return -1; // not Linux, or not readable: the rule then says nothing about TCP keepalive timing
        }
    }
}
