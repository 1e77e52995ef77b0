package dev.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The file-descriptor part of adaptive sizing's resource model. */
class DescriptorShareTest {

    @Test
    void isHalfOfWhatTheProcessMayStillOpen() {
        assumeTrue(ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean,
                "file descriptors are counted on Unix JDKs only");
        UnixOperatingSystemMXBean unix = (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long share = AdaptiveSizing.descriptorShare();
        assertThat(share).isPositive().isLessThanOrEqualTo(unix.getMaxFileDescriptorCount() / 2);
    }
}
