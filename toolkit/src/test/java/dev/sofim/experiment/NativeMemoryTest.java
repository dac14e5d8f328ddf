package dev.sofim.experiment;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resident-memory budget's sizes, as the kernels and the sweep's JVM write them, and its refusals. */
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
}
