package dev.sofim.optim;

/**
 * Runs an {@link UpdateRule} over a flat gradient split into blocks: every block is reduced
 * (read-only) first, a non-finite gradient is rejected with nothing written, then every block is
 * updated and decoupled weight decay is added.
 */
public final class UpdateStep {
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
     * @throws NonFiniteGradientException if the gradient holds NaN or infinite entries
     */
    public static void compute(UpdateRule rule, Vec grad, Vec state, Vec params, long t, int epoch, int[] blocks) {
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
        int count = bounds.length - 1;
        double[] sums = new double[count * UpdateRule.SUMS];
        double[] one = new double[UpdateRule.SUMS];
        for (int b = 0; b < count; b++) {
            rule.reduce(grad, state, bounds[b], bounds[b + 1], one);
            for (int k = 0; k < UpdateRule.SUMS; k++) {
                if (!Double.isFinite(one[k])) {
                    throw NonFiniteGradientException.of(grad, t);
                }
                sums[b * UpdateRule.SUMS + k] = one[k];
            }
        }
        double lr = rule.schedule().learningRate(rule.learningRate(), t, epoch);
        if (!(Double.isFinite(lr) && lr >= 0)) {
            throw new IllegalStateException("learning-rate schedule " + rule.schedule() + " returned " + lr
                    + " at step " + t + ", epoch " + epoch + "; expected a finite number >= 0");
        }
        double wd = rule.weightDecay();
        if (wd > 0 && params == null) {
            throw new IllegalStateException("weightDecay=" + wd + " needs the parameters, but this caller passes none");
        }
        for (int b = 0; b < count; b++) {
            System.arraycopy(sums, b * UpdateRule.SUMS, one, 0, UpdateRule.SUMS);
            rule.apply(grad, state, bounds[b], bounds[b + 1], t, lr, one);
        }
        if (wd > 0) {
            double scale = lr * wd;
            for (int i = 0; i < n; i++) {
                grad.set(i, grad.get(i) + scale * params.get(i));
            }
        }
    }

    private static int[] checkBlocks(int[] blocks, int n) {
        boolean ok = blocks.length >= 2 && blocks[0] == 0 && blocks[blocks.length - 1] == n;
        for (int i = 1; ok && i < blocks.length; i++) {
            ok = blocks[i] > blocks[i - 1];
        }
        if (!ok) {
            throw new IllegalArgumentException("block boundaries must rise strictly from 0 to " + n + ", got "
                    + java.util.Arrays.toString(blocks));
        }
        return blocks;
    }
}
