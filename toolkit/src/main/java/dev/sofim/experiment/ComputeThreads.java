package dev.sofim.experiment;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.nd4j.nativeblas.Nd4jBlas;

import java.util.logging.Logger;

/**
 * Pins ND4J's native computation to one thread, so that training gives the same numbers on any number of cores.
 *
 * <p>libnd4j's ops (convolutions, their gradients, reductions, oneDNN's kernels) split their sums across OpenMP threads,
 * and OpenBLAS its matrix products, so a LeNet-5 trained with OMP_NUM_THREADS=1 and =2 ends with other weights (measured:
 * the DL4J and the SameDiff LeNet-5 alike, on the generic and the oneDNN build). {@link #pin} sets both to one thread
 * for the rest of the process, whatever {@code OMP_NUM_THREADS} says. On this project's 2-core machine one thread also
 * trained faster than two ({@code toolkit/benchmarks/throughput-*}); to use more cores, run more cells at once (sweeps:
 * local workers or Spark). The optimizer's own step (the core) is independent of its thread count by construction.
 */
public final class ComputeThreads {
    private static final Logger LOG = Logger.getLogger(ComputeThreads.class.getName());
    private static boolean pinned; // guarded by the class lock

    private ComputeThreads() {
    }

    /**
     * Pins ND4J's OpenMP and BLAS threads to one for the calling thread. OpenMP keeps its thread count per calling
     * thread, so every training entry point calls this on the thread that trains ({@link Experiment#run} does, at the
     * start of every run): a Spark task thread, a kernel's new cell thread or a worker all compute on one thread.
     */
    public static synchronized void pin() {
        set(1);
        if (!pinned) {
            pinned = true;
            LOG.fine("sofim: ND4J computes on one native thread (deterministic across core counts)");
        }
    }

    /**
     * Sets ND4J's OpenMP and BLAS threads to {@code n} (benchmarks; numbers then depend on n). Unlike
     * {@code Nd4j.getEnvironment().setMaxThreads}, which leaves OpenMP's count as the JVM started with it.
     */
    public static synchronized void set(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + n);
        }
        Nd4j.getExecutioner(); // loads the backend
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
        if (Nd4j.factory().blas() instanceof Nd4jBlas blas) {
            blas.setMaxThreads(n);
        }
    }

    /** The number of OpenMP threads ND4J's ops use now. */
    public static int current() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }
}
