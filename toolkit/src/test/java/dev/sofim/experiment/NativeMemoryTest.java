package dev.sofim.experiment;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The resident-memory budget's sizes, as the kernels and the sweep's JVM write them, and its refusals; the arena trim. */
class NativeMemoryTest {

    @ParameterizedTest
    @CsvSource({"1073741824, 1073741824", "1g, 1073741824", "1G, 1073741824", "768m, 805306368", "512k, 524288",
            "0, 0", "' 2g ', 2147483648"})
    void sizesAreBytesOrKmg(String value, long bytes) {
        assertEquals(bytes, NativeMemory.budgetFrom(value, -1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5g", "-1m", "lots", "g", "99999999999999999999", "9999999999999g"})
    void aBadSizeIsNamedWithWhatWasExpected(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NativeMemory.budgetFrom(value, 0));
        assertTrue(e.getMessage().contains(NativeMemory.BUDGET_PROPERTY + "=" + value) && e.getMessage().contains("e.g. 1g"),
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void noValueTakesTheFallback(String value) {
        assertEquals(42, NativeMemory.budgetFrom(value, 42));
        assertEquals(42, NativeMemory.budgetFrom(null, 42));
    }

    /**
     * What glibc keeps after a free, the trim hands back: 4,000 blocks of 64 KiB (under glibc's mmap threshold, so in
     * an arena, as ND4J's buffers are) written and freed, all but the last (so the arena's top cannot shrink by itself),
     * stay resident until {@code malloc_trim}, which gives back most of their 250 MiB, as {@code /proc/self/statm} sees.
     */
    @Test
    void theTrimHandsBackWhatGlibcKeptAfterAFree() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "glibc's malloc_trim is Linux's");
        assertTrue(MallocTrim.available(), "this Linux has glibc's malloc_trim (through JNA)");
        int blocks = 4000;
        long size = 64 << 10;
        Pointer[] p = new Pointer[blocks];
        for (int i = 0; i < blocks; i++) {
            p[i] = Pointer.malloc(size);
            Pointer.memset(p[i], 1, size);
        }
        for (int i = 0; i < blocks - 1; i++) {
            Pointer.free(p[i]);
        }
        long kept = Pointer.physicalBytes();
        assertTrue(MallocTrim.run());
        long after = Pointer.physicalBytes();
        Pointer.free(p[blocks - 1]);
        assertTrue(kept - after > 150L << 20, "the trim gave back " + ((kept - after) >> 20) + " MiB of 250 (resident "
                + (kept >> 20) + " MiB before, " + (after >> 20) + " after)");
    }
}
