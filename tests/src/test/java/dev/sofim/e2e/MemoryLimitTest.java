package dev.sofim.e2e;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The pods the notebook tests run in: what they count (all of it, and its anonymous part) and that they kill. */
class MemoryLimitTest {
    private static final long MIB = 1L << 20;

    /** A Python process that writes {@code mib} MiB of its own memory and holds it for a second. */
    private static List<String> holding(int mib) {
        return List.of("/usr/bin/python3", "-c", "import time\nb = b'x' * (" + mib + " << 20)\ntime.sleep(1.0)\nprint(len(b))");
    }

    private static MemoryLimit pod(String name, long bytes) {
        Optional<MemoryLimit> m = MemoryLimit.create("sofim-memory-limit-test-" + ProcessHandle.current().pid() + "-" + name,
                bytes);
        assumeTrue(m.isPresent(), "no writable memory cgroup on this machine (see the reason printed above)");
        return m.get();
    }

    @Test
    void thePeakAndItsAnonymousPartCountWhatAProcessHolds() throws Exception {
        try (MemoryLimit limit = pod("hold", 1024 * MIB)) {
            Processes p = Processes.run(Processes.ROOT, Map.of(), 2, limit.wrap(holding(300)));
            assertEquals(0, p.status(), p.output());
            long anonymous = limit.anonymousPeakBytes();
            assertTrue(anonymous >= 290 * MIB && anonymous < 600 * MIB, "300 MiB held, sampled " + (anonymous / MIB) + " MiB");
            assertTrue(limit.peakBytes() >= anonymous, "the peak counts the anonymous part and the page cache");
            assertEquals(0, limit.oomKills());
        }
    }

    @Test
    void aProcessOverTheLimitIsKilledAndCounted() throws Exception {
        try (MemoryLimit limit = pod("kill", 128 * MIB)) {
            Processes p = Processes.run(Processes.ROOT, Map.of(), 2, limit.wrap(holding(400)));
            assertNotEquals(0, p.status(), "400 MiB in a 128 MiB pod: " + p.output());
            assertTrue(limit.oomKills() >= 1, "the kill is counted");
        }
    }
}
