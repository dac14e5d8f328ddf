package dev.sofim.experiment;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * glibc's {@code malloc_trim(0)}: hands back to the system the pages of freed memory that glibc keeps in its arenas.
 *
 * <p>ND4J allocates its arrays' buffers with {@code malloc}; when a collection frees them, glibc keeps the memory for
 * later allocations: after notebook 06's three ResNet runs a process kept 1,165–1,258 MiB resident, 321–332 MiB with a
 * trim after the runs ({@code toolkit/benchmarks/memory/idle-trim.md}). Called through JNA, which ND4J's {@code oshi-core}
 * already puts on the class path, so a JVM needs no flag for it. Where there is no glibc (macOS, Windows, musl) it does
 * nothing.
 */
final class MallocTrim {
    private static final Function TRIM = find();

    private MallocTrim() {
    }

    private static Function find() {
        if (!Platform.isLinux()) {
            return null;
        }
        try {
            return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("malloc_trim");
        } catch (UnsatisfiedLinkError | RuntimeException e) {   // not glibc, or JNA's native part cannot load
            return null;
        }
    }

    /** Whether this process has glibc's malloc_trim. */
    static boolean available() {
        return TRIM != null;
    }

    /** Trims glibc's arenas; returns whether it could (false without glibc). */
    static boolean run() {
        if (TRIM == null) {
            return false;
        }
        TRIM.invokeInt(new Object[] {0L});
        return true;
    }
}
