package dev.sofim.optim;

import java.util.List;

/**
 * An optimizer's update rule on a flat vector, in two passes so that a bad gradient is rejected
 * before anything is written.
 *
 * <p>Sign convention: the rule replaces the gradient g in place by the step s, and the caller
 * applies θ ← θ − s (DL4J's convention; the Tribuo adapter translates).
 *
 * <p>State layout: {@code stateNames().size()} slots of n doubles each; slot k of element i is at
 * index {@code k·n + i}, where n is {@code g.length()}. {@link UpdateStep} calls the passes on
 * chunks copied into scratch arrays, so there n is the chunk's length.
 *
 * <p>Implementations are immutable hyperparameter records: {@link Sofim}, {@link Sgd}, {@link Adam}.
 * Use {@link UpdateStep} (or {@link CoreOptimizer} on arrays) rather than calling the passes directly.
 */
public sealed interface UpdateRule extends Rule permits Sofim, Sgd, Adam {
    /** Number of sums {@link #reduce} writes per block. */
    int SUMS = 3;

    /** Names of the per-parameter state slots (for example {@code ["M", "V"]} for Adam). */
    List<String> stateNames();

    /** The base learning rate η. */
    @Override
    double learningRate();

    /** Decoupled weight decay λ: the step gains η_t·λ·θ (as in AdamW); 0 disables it. */
    double weightDecay();

    LearningRateSchedule schedule();

    /** This rule with another base learning rate. */
    @Override
    UpdateRule withLearningRate(double learningRate);

    /** One state slot per parameter for each of {@link #stateNames()}. */
    @Override
    default double statePerParameter() {
        return stateNames().size();
    }

    /** This rule with another decoupled weight decay. */
    UpdateRule withWeightDecay(double weightDecay);

    /** This rule with another learning-rate schedule. */
    UpdateRule withSchedule(LearningRateSchedule schedule);

    /** Which blocks share one curvature model; element-wise rules ignore it. */
    default Scope scope() {
        return Scope.GLOBAL;
    }

    /**
     * Pass 1, read-only: reduces the range [from, to) into {@code sums[0..SUMS)}. The sums must be
     * additive over disjoint ranges: a block's sums are the sums of its chunks' sums. Any
     * non-finite gradient entry must make some sum non-finite (every rule sums g², at least).
     */
    void reduce(Vec g, Vec state, int from, int to, double[] sums);

    /**
     * Pass 2: updates the state of the range [from, to) and replaces g there by the step, at 1-based
     * step t, given the sums of the whole block the range belongs to.
     */
    void apply(Vec g, Vec state, int from, int to, long t, double learningRate, double[] sums);

    /** Σ g_i² over [from, to). */
    static double sumOfSquares(Vec g, int from, int to) {
        double s0 = 0, s1 = 0;
        int i = from;
        for (; i + 1 < to; i += 2) {
            double a = g.get(i), b = g.get(i + 1);
            s0 += a * a;
            s1 += b * b;
        }
        if (i < to) {
            double a = g.get(i);
            s0 += a * a;
        }
        return s0 + s1;
    }
}
