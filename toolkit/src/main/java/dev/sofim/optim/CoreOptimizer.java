package dev.sofim.optim;

import java.util.Arrays;

/**
 * An {@link UpdateRule} with its state, stepping a {@code double[]} of parameters in place. The
 * plain-Java way to use the optimizers, and the reference the adapters are tested against.
 */
public final class CoreOptimizer {
    private final UpdateRule rule;
    private final double[] state;
    private final int[] blocks;
    private long step;

    /**
     * @param rule   the update rule
     * @param blocks block boundaries {@code [0, e₁, …, n]} for the block-diagonal scopes, or just {@code [0, n]}
     */
    public CoreOptimizer(UpdateRule rule, int... blocks) {
        this.rule = rule;
        boolean rising = blocks.length >= 2 && blocks[0] == 0;
        for (int i = 1; rising && i < blocks.length; i++) {
            rising = blocks[i] > blocks[i - 1];
        }
        if (!rising) {
            throw new IllegalArgumentException("blocks must rise strictly from 0 to n, as [0, e₁, …, n], got "
                    + Arrays.toString(blocks));
        }
        this.blocks = blocks.clone();
        this.state = new double[rule.stateNames().size() * blocks[blocks.length - 1]];
    }

    /** One block of n parameters. */
    public static CoreOptimizer of(UpdateRule rule, int n) {
        return new CoreOptimizer(rule, 0, n);
    }

    /**
     * θ ← θ − step(g). {@code grad} is left unchanged.
     *
     * @throws NonFiniteGradientException with θ and the state untouched
     */
    public void step(double[] params, double[] grad, int epoch) {
        int n = blocks[blocks.length - 1];
        if (params.length != n || grad.length != n) {
            throw new IllegalArgumentException("expected " + n + " parameters and gradients, got " + params.length
                    + " and " + grad.length);
        }
        double[] s = grad.clone();
        UpdateStep.compute(rule, Vec.of(s), Vec.of(state), Vec.of(params), step + 1, epoch, blocks);
        step++;
        for (int i = 0; i < n; i++) {
            params[i] -= s[i];
        }
    }

    public void step(double[] params, double[] grad) {
        step(params, grad, 0);
    }

    /** Steps taken so far. */
    public long steps() {
        return step;
    }

    public UpdateRule rule() {
        return rule;
    }

    /** A copy of the state. */
    public double[] state() {
        return state.clone();
    }

    @Override
    public String toString() {
        return "CoreOptimizer[" + rule + ", steps=" + step + "]";
    }
}
