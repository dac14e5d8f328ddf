package dev.sofim.experiment;

import org.bytedeco.javacpp.Pointer;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the process's resident memory under a budget by collecting the arrays ND4J no longer uses.
 *
 * <p>ND4J frees an array's native buffer only when the garbage collector has found its Java object unreachable, and
 * the Java heap hardly fills (an array is a small object on it), so a training loop leaves hundreds of megabytes of dead
 * native buffers between collections: a small ResNet at batch 128 swung between 1.2 and 3 GB resident with a 768 MB heap
 * (measured, {@code toolkit/docs/memory.md}); JavaCPP's own {@code maxbytes} cap does not see these buffers. After
 * every training step and every evaluation chunk, {@link #relieve} reads the resident size ({@code /proc/self/statm},
 * microseconds) and, over the budget, runs a collection; after every run {@link #release} runs one and then hands the
 * freed memory glibc keeps back to the system ({@code malloc_trim}), so an idle notebook kernel holds only what it uses
 * (a JVM after notebook 06's three ResNet runs: 321–332 MiB resident, 1,165–1,258 MiB without the trim;
 * {@code toolkit/benchmarks/memory/idle-trim.md}).
 * Numbers do not depend on it: it frees only what nothing reads.
 *
 * <p>The budget is the system property {@value #BUDGET_PROPERTY} (bytes, or with k, m or g: {@code 1g}; 0 = never
 * collect); without it, JavaCPP's {@code maxphysicalbytes}. The notebook kernels and the Binder image set 1g: under
 * 768m, notebook 01's LeNet-5 (whose kernel glibc keeps at about 1 GB resident) collected after every step and trained
 * 12× slower (60.8 s against 5.2 s, the same numbers; {@code toolkit/docs/memory.md}).
 */
public final class NativeMemory {
    /** The system property holding the resident-memory budget. */
    public static final String BUDGET_PROPERTY = "sofim.residentBudget";

    private static final long BUDGET = budgetFrom(System.getProperty(BUDGET_PROPERTY), Pointer.maxPhysicalBytes());
    private static final AtomicLong COLLECTIONS = new AtomicLong();
    private static final AtomicLong TRIMS = new AtomicLong();
    /** How long {@link #release} lets ND4J's deallocator threads free what a collection found, before it trims. */
    static final long FREE_WAIT_MS = 100;

    private NativeMemory() {
    }

    /** The budget in bytes (0: never collect). */
    public static long budget() {
        return BUDGET;
    }

    /** The collections {@link #relieve} has run in this process. */
    public static long collections() {
        return COLLECTIONS.get();
    }

    /** Collects garbage if the resident memory is over the budget; returns whether it did. */
    public static boolean relieve() {
        return relieve(() -> { });
    }

    /** The times {@link #release} trimmed glibc's arenas in this process. */
    public static long trims() {
        return TRIMS.get();
    }

    /**
     * Over the budget, first lets go of what a caller holds for speed only ({@code release}: a SameDiff graph's
     * execution sessions, say), then collects garbage; returns whether it did. Under the budget, nothing is dropped,
     * so small models keep their caches. It does not trim glibc's arenas: the next step reuses what a collection freed,
     * and trimming between steps made a ResNet's peak higher, not lower ({@code toolkit/benchmarks/memory/idle-trim.md}).
     */
    public static boolean relieve(Runnable release) {
        if (BUDGET <= 0 || Pointer.physicalBytes() <= BUDGET) {
            return false;
        }
        release.run();
        System.gc();
        COLLECTIONS.incrementAndGet();
        return true;
    }

    /**
     * Collects garbage now (after a run: its networks are unreachable), then trims glibc's arenas once ND4J's
     * deallocator threads have freed the collected buffers, so an idle process holds only what it uses.
     */
    public static void release() {
        System.gc();
        COLLECTIONS.incrementAndGet();
        try {
            Thread.sleep(FREE_WAIT_MS);   // the buffers are freed by ND4J's threads as the collector enqueues them
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        trim();
    }

    private static void trim() {
        if (MallocTrim.run()) {
            TRIMS.incrementAndGet();
        }
    }

    /** A size such as {@code 1073741824}, {@code 1024m} or {@code 1g}; {@code fallback} when the value is absent. */
    public static long budgetFrom(String value, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        long unit = switch (v.charAt(v.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n < 0 || n > Long.MAX_VALUE / unit) {
                throw new NumberFormatException();
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + BUDGET_PROPERTY + "=" + value + " is not a size; expected bytes, "
                    + "or a number with k, m or g (e.g. 1g), or 0 for no budget");
        }
    }
}
