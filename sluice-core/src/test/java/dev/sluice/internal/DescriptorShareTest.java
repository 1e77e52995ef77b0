package dev.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The file-descriptor part of adaptive sizing's resource model. */
class DescriptorShareTest {
    /** Descriptors other threads (surefire's, the JIT's) may open or close while a share is read. */
    private static final long SLACK = 16;

    @Test
    void isHalfOfWhatTheProcessMayStillOpen() throws Exception {
        assumeTrue(ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean,
                "file descriptors are counted on Unix JDKs only");
        UnixOperatingSystemMXBean unix = (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long max = unix.getMaxFileDescriptorCount();
        assumeTrue(max > 1000, "a descriptor limit of " + max + " leaves too little room to measure");

        long openBefore = unix.getOpenFileDescriptorCount();
        long share = AdaptiveSizing.descriptorShare();
        long openAfter = unix.getOpenFileDescriptorCount();
        assertThat(share).isBetween((max - Math.max(openBefore, openAfter) - SLACK) / 2,
                (max - Math.min(openBefore, openAfter) + SLACK) / 2);

        // Descriptors the process opens come out of the share, half each.
        Path file = Files.createTempFile("descriptor-share", ".tmp");
        List<InputStream> held = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                held.add(Files.newInputStream(file));
            }
            assertThat(share - AdaptiveSizing.descriptorShare()).isBetween(100 - SLACK, 100 + SLACK);
        } finally {
            for (InputStream in : held) {
                in.close();
            }
            Files.delete(file);
        }
    }
}
