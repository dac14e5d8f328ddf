package dev.sofim.optim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Locale;

/**
 * The fast step engine: an {@link UpdateRule} step straight on FLOAT storage (an ND4J array's native buffer, or any
 * {@link ByteBuffer} of floats in native byte order), with no copies into {@code double[]} and no per-element calls.
 * Each element is widened to double, the rule's {@link FusedStep} is evaluated in double precision exactly as
 * {@link UpdateStep} evaluates it, and the result is rounded to float once.
 *
 * <p>Two engines compute the same numbers, bit for bit:
 * <ul>
 *   <li>{@link Engine#VECTOR}: {@code jdk.incubator.vector}, eight elements at a time (256-bit float loads widened to
 *       512-bit double lanes); chosen when the JVM runs with {@code --add-modules jdk.incubator.vector} and the CPU
 *       has 512-bit vectors (AVX-512);</li>
 *   <li>{@link Engine#LOOPS}: plain loops, everywhere else: a chunk bulk-copied out, widened into {@code double[]}
 *       rows, {@link FusedStep#apply}, narrowed and copied back.</li>
 * </ul>
 * Which one runs is logged once ({@code System.Logger} {@code dev.sofim.optim}, INFO) and can be forced with
 * {@code -Dsofim.engine=vector|loops}.
 *
 * <p>Determinism: pass 1 (read-only; nothing is written when the gradient holds a non-finite entry) sums in double
 * precision into eight partial sums per chunk (element i into partial i mod 8), combined as
 * ((p₀+p₁)+(p₂+p₃))+((p₄+p₅)+(p₆+p₇)); chunks are {@link UpdateStep#CHUNK} elements and their sums are added in chunk
 * order. So the numbers depend neither on the engine nor on the number of threads. They differ from {@link UpdateStep}
 * only in the order of those sums (which adds its elements one after another), i.e. in the last bits of gᵀg, gᵀm,
 * mᵀm.
 *
 * <p>One block only (the whole vector): DL4J and SameDiff hand each parameter group to its own updater. Decoupled
 * weight decay needs the parameters, which these callers do not pass; such rules go through {@link UpdateStep}.
 */
public final class FloatStep {
    /** The step engines. */
    public enum Engine {
        /** {@code jdk.incubator.vector}, 512-bit double lanes. */
        VECTOR,
        /** Plain Java loops over {@code float[]} chunks. */
        LOOPS
    }

    /** Partial sums per chunk and sum: element i goes to partial i mod {@value}. */
    static final int LANES = 8;

    private static final Kernels LOOP_KERNELS = new LoopKernels();
    /** The Vector API kernels, when this JVM can run them (also when {@code -Dsofim.engine=loops} is forced). */
    private static final Kernels VECTOR_KERNELS = vectorModule() ? vectorKernels() : null;
    private static final Engine ENGINE = choose();

    private FloatStep() {
    }

    /** The engine this JVM runs. */
    public static Engine engine() {
        return ENGINE;
    }

    /** Whether this JVM can run the Vector API engine (the module is present and the CPU has 512-bit vectors). */
    public static boolean vectorAvailable() {
        return VECTOR_KERNELS != null;
    }

    /** Whether this JVM was started with {@code --add-modules jdk.incubator.vector} (JVMs it starts should be too). */
    public static boolean vectorModule() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    private static Engine choose() {
        String forced = System.getProperty("sofim.engine", "").trim().toLowerCase(Locale.ROOT);
        Engine e;
        if (forced.equals("loops")) {
            e = Engine.LOOPS;
        } else if (forced.isEmpty() || forced.equals("vector")) {
            e = vectorAvailable() ? Engine.VECTOR : Engine.LOOPS;
        } else {
            throw new IllegalArgumentException("-Dsofim.engine=" + forced + " is not an engine; expected vector or loops");
        }
        System.getLogger("dev.sofim.optim").log(System.Logger.Level.INFO, "sofim: optimizer step engine "
                + (e == Engine.VECTOR ? "Vector API (512-bit)" : "plain loops" + (forced.equals("loops") ? " (forced)"
                : " (run with --add-modules jdk.incubator.vector on an AVX-512 CPU for the Vector API engine)")));
        return e;
    }

    private static Kernels vectorKernels() {
        try {
            return (Kernels) Class.forName("dev.sofim.optim.VectorKernels").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | UnsupportedOperationException e) {
            return null;   // no module, or the CPU lacks 512-bit vectors (the constructor refuses)
        }
    }

    /**
     * One step on float storage: {@code grad} (n floats from element {@code gradOffset}) is replaced by the step s
     * (θ ← θ − s), and the rule's state ({@code stateNames().size()} slots of n floats from element
     * {@code stateOffset}, slot k of element i at k·n + i) advances.
     *
     * @return the first pass's sums gᵀg, gᵀm', m'ᵀm' (for {@link Sofim#diagnostics})
     * @throws NonFiniteGradientException if the gradient holds NaN or infinite entries (nothing is written)
     * @throws IllegalArgumentException   if the rule has weight decay (it needs the parameters: use UpdateStep)
     */
    public static double[] compute(UpdateRule rule, ByteBuffer grad, int gradOffset, ByteBuffer state, int stateOffset, int n,
                                   long t, int epoch) {
        return compute(ENGINE, rule, grad, gradOffset, state, stateOffset, n, t, epoch);
    }

    /** {@link #compute} on a given engine (benchmarks and tests; VECTOR must be {@link #vectorAvailable}). */
    public static double[] compute(Engine engine, UpdateRule rule, ByteBuffer grad, int gradOffset, ByteBuffer state,
                                   int stateOffset, int n, long t, int epoch) {
        if (t < 1) {
            throw new IllegalArgumentException("step t must be >= 1 (1-based), got " + t);
        }
        if (rule.weightDecay() > 0) {
            throw new IllegalArgumentException("weightDecay=" + rule.weightDecay() + " needs the parameters; "
                    + "run " + rule + " through UpdateStep");
        }
        Kernels kernels = engine == Engine.VECTOR ? VECTOR_KERNELS : LOOP_KERNELS;
        if (kernels == null) {
            throw new IllegalStateException("the Vector API engine is not available in this JVM (needs --add-modules "
                    + "jdk.incubator.vector and 512-bit vectors)");
        }
        int slots = rule.stateNames().size();
        ByteBuffer g = grad.duplicate().order(ByteOrder.nativeOrder());
        ByteBuffer s = state == null ? null : state.duplicate().order(ByteOrder.nativeOrder());
        check("gradient", g, gradOffset, n);
        if (slots > 0) {
            if (s == null) {
                throw new IllegalArgumentException(rule + " keeps state " + rule.stateNames() + " but no state was given");
            }
            check("state", s, stateOffset, (long) slots * n);
        }
        UpdateStep.Chunks chunks = UpdateStep.Chunks.of(new int[] {0, n});
        FusedStep.Sums passOne = rule.passOne();
        double[][] chunkSums = new double[chunks.count()][UpdateRule.SUMS];
        chunks.forEach(k -> {
            int from = chunks.from(k);
            kernels.reduce(passOne, g, gradOffset + from, s, stateOffset + from, chunks.to(k) - from, chunkSums[k]);
        });
        double[][] sums = UpdateStep.blockSums(chunks, chunkSums, 1, view(g, gradOffset, n), t);
        FusedStep step = rule.fused(t, UpdateStep.learningRate(rule, t, epoch), sums[0]);
        chunks.forEachDescending(k -> {   // element-wise: the order cannot change the numbers
            int from = chunks.from(k);
            kernels.apply(step, g, gradOffset + from, s, stateOffset + from, stateOffset + n + from, chunks.to(k) - from);
        });
        return sums[0];
    }

    private static void check(String what, ByteBuffer b, int offset, long count) {
        if (offset < 0 || 4L * (offset + count) > b.capacity()) {
            throw new IllegalArgumentException(what + ": " + count + " floats from element " + offset + " do not fit "
                    + "its buffer of " + b.capacity() / 4 + " floats");
        }
    }

    /** A read-only view for error messages (counting the non-finite entries). */
    private static Vec view(ByteBuffer b, int offset, int n) {
        FloatBuffer f = b.asFloatBuffer();
        return new Vec() {
            public int length() {
                return n;
            }

            public double get(int i) {
                return f.get(offset + i);
            }

            public void set(int i, double value) {
                throw new UnsupportedOperationException("read only");
            }
        };
    }

    /** Pass 2 on a few elements the Vector API engine leaves over (fewer than eight): the loop engine's code. */
    static void tail(FusedStep step, ByteBuffer g, int gOff, ByteBuffer s, int mOff, int vOff, int len) {
        LOOP_KERNELS.apply(step, g, gOff, s, mOff, vOff, len);
    }

    /** The combination of a chunk's eight partial sums, in the fixed order every engine uses. */
    static double combine(double[] p, int at) {
        return ((p[at] + p[at + 1]) + (p[at + 2] + p[at + 3])) + ((p[at + 4] + p[at + 5]) + (p[at + 6] + p[at + 7]));
    }

    /** The passes on one chunk of float storage; offsets are in elements. */
    interface Kernels {
        /** Pass 1 on {@code len} elements: {@code sums} = gᵀg, gᵀm', m'ᵀm' (the last two 0 without a moment). */
        void reduce(FusedStep.Sums p, ByteBuffer g, int gOff, ByteBuffer s, int mOff, int len, double[] sums);

        /** Pass 2 on {@code len} elements: the state (m at {@code mOff}, Adam's v at {@code vOff}) and the step. */
        void apply(FusedStep f, ByteBuffer g, int gOff, ByteBuffer s, int mOff, int vOff, int len);
    }

    /**
     * The plain-loop engine: a chunk is bulk-copied into {@code float[]}, widened into {@code double[]} in a loop of
     * its own, the step runs there ({@link FusedStep#apply}, the reference), and the results are narrowed back. (One
     * loop that widens, computes and narrows runs several times slower on HotSpot x86: its scalar conversions chain;
     * separate conversion loops are vectorized.)
     */
    static final class LoopKernels implements Kernels {
        private static final ThreadLocal<float[]> FLOATS = ThreadLocal.withInitial(() -> new float[UpdateStep.CHUNK]);
        private static final ThreadLocal<double[][]> DOUBLES = ThreadLocal.withInitial(() -> new double[3][UpdateStep.CHUNK]);

        /** {@code len} floats of {@code b} from element {@code off} into {@code d[0, len)}. */
        private static void widen(ByteBuffer b, int off, int len, double[] d) {
            float[] f = FLOATS.get();
            b.asFloatBuffer().get(off, f, 0, len);
            for (int i = 0; i < len; i++) {
                d[i] = f[i];
            }
        }

        /** {@code d[0, len)} rounded to float into {@code len} floats of {@code b} from element {@code off}. */
        private static void narrow(double[] d, int len, ByteBuffer b, int off) {
            float[] f = FLOATS.get();
            for (int i = 0; i < len; i++) {
                f[i] = (float) d[i];
            }
            b.asFloatBuffer().put(off, f, 0, len);
        }

        /**
         * Eight partial sums per sum, element i into partial i mod 8 (four lanes at a time, so that twelve
         * accumulators stay in registers): the same lanes and order as the Vector API engine.
         */
        @Override
        public void reduce(FusedStep.Sums p, ByteBuffer g, int gOff, ByteBuffer s, int mOff, int len, double[] sums) {
            double[][] rows = DOUBLES.get();
            double[] d = rows[0], md = rows[1];
            widen(g, gOff, len, d);
            double[] acc = new double[3 * LANES];
            int body = len & ~(LANES - 1);
            if (p.moment()) {
                widen(s, mOff, len, md);
            }
            double pm = p.pm(), qm = p.qm();
            for (int half = 0; half < LANES; half += 4) {
                double gg0 = 0, gg1 = 0, gg2 = 0, gg3 = 0, gm0 = 0, gm1 = 0, gm2 = 0, gm3 = 0;
                double mm0 = 0, mm1 = 0, mm2 = 0, mm3 = 0;
                if (!p.moment()) {
                    for (int i = half; i < body; i += LANES) {
                        double g0 = d[i], g1 = d[i + 1], g2 = d[i + 2], g3 = d[i + 3];
                        gg0 += g0 * g0;
                        gg1 += g1 * g1;
                        gg2 += g2 * g2;
                        gg3 += g3 * g3;
                    }
                } else {
                    for (int i = half; i < body; i += LANES) {
                        double g0 = d[i], g1 = d[i + 1], g2 = d[i + 2], g3 = d[i + 3];
                        double m0 = pm * md[i] + qm * g0, m1 = pm * md[i + 1] + qm * g1;
                        double m2 = pm * md[i + 2] + qm * g2, m3 = pm * md[i + 3] + qm * g3;
                        gg0 += g0 * g0;
                        gg1 += g1 * g1;
                        gg2 += g2 * g2;
                        gg3 += g3 * g3;
                        gm0 += g0 * m0;
                        gm1 += g1 * m1;
                        gm2 += g2 * m2;
                        gm3 += g3 * m3;
                        mm0 += m0 * m0;
                        mm1 += m1 * m1;
                        mm2 += m2 * m2;
                        mm3 += m3 * m3;
                    }
                }
                double[] lanes = {gg0, gg1, gg2, gg3, gm0, gm1, gm2, gm3, mm0, mm1, mm2, mm3};
                for (int k = 0; k < 3; k++) {
                    System.arraycopy(lanes, 4 * k, acc, k * LANES + half, 4);
                }
            }
            for (int i = body; i < len; i++) {
                double gi = d[i];
                int j = i & 7;
                acc[j] += gi * gi;
                if (p.moment()) {
                    double mi = pm * md[i] + qm * gi;
                    acc[LANES + j] += gi * mi;
                    acc[2 * LANES + j] += mi * mi;
                }
            }
            sums[0] = combine(acc, 0);
            sums[1] = combine(acc, LANES);
            sums[2] = combine(acc, 2 * LANES);
        }

        @Override
        public void apply(FusedStep step, ByteBuffer g, int gOff, ByteBuffer s, int mOff, int vOff, int len) {
            double[][] rows = DOUBLES.get();
            int slots = step.stateSlots();
            widen(g, gOff, len, rows[0]);
            if (slots > 0) {
                widen(s, mOff, len, rows[1]);
            }
            if (slots > 1) {
                widen(s, vOff, len, rows[2]);
            }
            step.apply(rows[0], rows[1], rows[2], len);
            narrow(rows[0], len, g, gOff);
            if (slots > 0) {
                narrow(rows[1], len, s, mOff);
            }
            if (slots > 1) {
                narrow(rows[2], len, s, vOff);
            }
        }
    }
}
