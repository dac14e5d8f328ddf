package dev.sofim.optim;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Runs an {@link UpdateRule} over a flat gradient split into blocks: every block is reduced
 * (read-only) first, a non-finite gradient is rejected with nothing written, then every block is
 * updated and decoupled weight decay is added.
 *
 * <p>Both passes work chunk by chunk: a chunk of at most {@link #CHUNK} elements of the gradient,
 * of each state slot and (for weight decay) of the parameters is copied into {@code double[]}
 * scratch arrays, the rule's {@link FusedStep} runs there, and the results are copied back. Chunks are independent,
 * so a step of at least {@link #PARALLEL_THRESHOLD} elements runs them on the common fork-join pool.
 * Chunk boundaries depend only on the block boundaries and the per-chunk sums are added in chunk
 * order, so the numbers do not depend on the number of threads or their timing.
 */
public final class UpdateStep {
    /** Elements per chunk: small enough for the scratch arrays to stay in cache. */
    public static final int CHUNK = 1 << 14;
    /** Steps with fewer elements than this run on the calling thread only. */
    public static final int PARALLEL_THRESHOLD = 1 << 17;

    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[4][CHUNK]);

    private UpdateStep() {
    }

    /**
     * Replaces {@code grad} in place by the step s (θ ← θ − s) and advances {@code state}.
     *
     * @param rule   the update rule
     * @param grad   the gradient, overwritten with the step
     * @param state  the rule's state, {@code rule.stateNames().size() × grad.length()} entries
     * @param params the parameters θ, read only for weight decay; may be null when λ = 0
     * @param t      the 1-based step
     * @param epoch  the 0-based epoch (for schedules)
     * @param blocks block boundaries {@code [0, e₁, …, n]} used by the block-diagonal scopes; null
     *               means one block. With {@link Scope#GLOBAL} the whole vector is one block.
     * @return the first pass's sums gᵀg, gᵀm', m'ᵀm' over all parameters (for {@link Sofim#diagnostics})
     * @throws NonFiniteGradientException if the gradient holds NaN or infinite entries
     */
    public static double[] compute(UpdateRule rule, Vec grad, Vec state, Vec params, long t, int epoch, int[] blocks) {
        int n = grad.length();
        if (t < 1) {
            throw new IllegalArgumentException("step t must be >= 1 (1-based), got " + t);
        }
        int slots = rule.stateNames().size();
        if (state.length() != (long) slots * n) {
            throw new IllegalArgumentException("state has " + state.length() + " entries, expected " + slots + " × "
                    + n + " for " + rule.getClass().getSimpleName());
        }
        int[] bounds = rule.scope() == Scope.GLOBAL || blocks == null ? new int[] {0, n} : checkBlocks(blocks, n);
        Chunks chunks = Chunks.of(bounds);

        double[][] chunkSums = new double[chunks.count()][UpdateRule.SUMS];
        chunks.forEach(k -> {
            int from = chunks.from(k), len = chunks.to(k) - from;
            double[][] rows = stage(grad, state, n, Math.min(slots, 1), from, len);
            rule.reduce(new ArrayVec(rows[0], 0, len), slots == 0 ? Vec.empty() : new ArrayVec(rows[1], 0, len), 0, len,
                    chunkSums[k]);
        });
        double[][] blockSums = blockSums(chunks, chunkSums, bounds.length - 1, grad, t);
        double lr = learningRate(rule, t, epoch);
        double wd = rule.weightDecay();
        if (wd > 0 && params == null) {
            throw new IllegalStateException("weightDecay=" + wd + " needs the parameters, but this caller passes none");
        }
        double decay = lr * wd;
        FusedStep[] steps = new FusedStep[blockSums.length];
        for (int b = 0; b < steps.length; b++) {
            steps[b] = rule.fused(t, lr, blockSums[b]);
        }
        chunks.forEach(k -> {
            int from = chunks.from(k), len = chunks.to(k) - from;
            double[][] rows = stage(grad, state, n, slots, from, len);
            steps[chunks.block(k)].apply(rows[0], rows[1], rows[2], len);
            if (decay > 0) {
                double[] p = rows[3];
                params.read(from, p, 0, len);
                double[] g = rows[0];
                for (int i = 0; i < len; i++) {
                    g[i] += decay * p[i];
                }
            }
            grad.write(from, rows[0], 0, len);
            for (int slot = 0; slot < slots; slot++) {
                state.write(slot * n + from, rows[1 + slot], 0, len);
            }
        });
        return total(blockSums);
    }

    /** The blocks' first-pass sums added up: the sums over all parameters (what {@link Sofim#diagnostics} reads). */
    static double[] total(double[][] blockSums) {
        double[] total = new double[UpdateRule.SUMS];
        for (double[] b : blockSums) {
            for (int j = 0; j < total.length; j++) {
                total[j] += b[j];
            }
        }
        return total;
    }

    /** The chunks' sums added per block in chunk order (so independent of threads); non-finite sums are rejected. */
    static double[][] blockSums(Chunks chunks, double[][] chunkSums, int blocks, Vec grad, long t) {
        double[][] blockSums = new double[blocks][UpdateRule.SUMS];
        for (int k = 0; k < chunks.count(); k++) {
            for (int j = 0; j < UpdateRule.SUMS; j++) {
                blockSums[chunks.block(k)][j] += chunkSums[k][j];
            }
        }
        for (double[] sums : blockSums) {
            for (double sum : sums) {
                if (!Double.isFinite(sum)) {
                    throw NonFiniteGradientException.of(grad, t);
                }
            }
        }
        return blockSums;
    }

    /** The schedule's learning rate at step t, epoch {@code epoch}, checked. */
    static double learningRate(UpdateRule rule, long t, int epoch) {
        double lr = rule.schedule().learningRate(rule.learningRate(), t, epoch);
        if (!(Double.isFinite(lr) && lr >= 0)) {
            throw new IllegalStateException("learning-rate schedule " + rule.schedule() + " returned " + lr
                    + " at step " + t + ", epoch " + epoch + "; expected a finite number >= 0");
        }
        return lr;
    }

    /**
     * This thread's scratch rows (each at least {@code len} long): the chunk [from, from + len) of the gradient in row 0
     * and of the first {@code slots} state slots in rows 1 and 2; row 3 is free (the parameters, for weight decay).
     * Separate arrays, so that HotSpot vectorizes the element-wise loops over them.
     */
    private static double[][] stage(Vec grad, Vec state, int n, int slots, int from, int len) {
        double[][] rows = SCRATCH.get();
        grad.read(from, rows[0], 0, len);
        for (int slot = 0; slot < slots; slot++) {
            state.read(slot * n + from, rows[1 + slot], 0, len);
        }
        return rows;
    }

    private static int[] checkBlocks(int[] blocks, int n) {
        boolean ok = blocks.length >= 2 && blocks[0] == 0 && blocks[blocks.length - 1] == n;
        for (int i = 1; ok && i < blocks.length; i++) {
            ok = blocks[i] > blocks[i - 1];
        }
        if (!ok) {
            throw new IllegalArgumentException("block boundaries must rise strictly from 0 to " + n + ", got "
                    + Arrays.toString(blocks));
        }
        return blocks;
    }

    /** Every block cut into pieces of at most {@link #CHUNK} elements, starting at the block's start. */
    record Chunks(int[] starts, int[] ends, int[] blockOf) {
        static Chunks of(int[] bounds) {
            int count = 0;
            for (int b = 0; b + 1 < bounds.length; b++) {
                count += Math.max(1, ceilDiv(bounds[b + 1] - bounds[b], CHUNK));
            }
            int[] starts = new int[count], ends = new int[count], blockOf = new int[count];
            int k = 0;
            for (int b = 0; b + 1 < bounds.length; b++) {
                int from = bounds[b];
                do {
                    starts[k] = from;
                    ends[k] = Math.min(bounds[b + 1], from + CHUNK);
                    blockOf[k] = b;
                    from = ends[k++];
                } while (from < bounds[b + 1]);
            }
            return new Chunks(starts, ends, blockOf);
        }

        private static int ceilDiv(int a, int b) {
            return (a + b - 1) / b;
        }

        int count() {
            return starts.length;
        }

        int from(int k) {
            return starts[k];
        }

        int to(int k) {
            return ends[k];
        }

        int block(int k) {
            return blockOf[k];
        }

        void forEach(java.util.function.IntConsumer body) {
            if (ends[count() - 1] < PARALLEL_THRESHOLD || count() == 1) {
                for (int k = 0; k < count(); k++) {
                    body.accept(k);
                }
            } else {
                IntStream.range(0, count()).parallel().forEach(body);
            }
        }

        /**
         * As {@link #forEach}, but on one thread from the last chunk down: a second pass then starts on the chunks the
         * first pass left in cache. Only for bodies whose chunks are independent (element-wise passes).
         */
        void forEachDescending(java.util.function.IntConsumer body) {
            if (ends[count() - 1] < PARALLEL_THRESHOLD || count() == 1) {
                for (int k = count() - 1; k >= 0; k--) {
                    body.accept(k);
                }
            } else {
                IntStream.range(0, count()).parallel().map(k -> count() - 1 - k).forEach(body);
            }
        }
    }
}
