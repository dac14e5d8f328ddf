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

    /** What pass 1 sums (see {@link FusedStep.Sums}); the sums must be additive over disjoint ranges. */
    FusedStep.Sums passOne();

    /**
     * The element program of pass 2 at 1-based step t with learning rate {@code learningRate}, given the sums of the
     * whole block ({@code sums[0]} = gᵀg, {@code sums[1]} = gᵀm', {@code sums[2]} = m'ᵀm'). The rule's math lives here
     * and in {@link #passOne}; the engines only evaluate it.
     */
    FusedStep fused(long t, double learningRate, double[] sums);

    /**
     * Pass 1, read-only: reduces the range [from, to) into {@code sums[0..SUMS)}, as {@link #passOne} says. A
     * non-finite gradient entry makes gᵀg non-finite.
     */
    default void reduce(Vec g, Vec state, int from, int to, double[] sums) {
        FusedStep.Sums p = passOne();
        if (!p.moment()) {
            sums[0] = sumOfSquares(g, from, to);
            sums[1] = 0;
            sums[2] = 0;
            return;
        }
        double gg = 0, gm = 0, mm = 0;
        for (int i = from; i < to; i++) {
            double gi = g.get(i);
            double mi = p.pm() * state.get(i) + p.qm() * gi;
            gg += gi * gi;
            gm += gi * mi;
            mm += mi * mi;
        }
        sums[0] = gg;
        sums[1] = gm;
        sums[2] = mm;
    }

    /**
     * Pass 2: updates the state of the range [from, to) and replaces g there by the step, at 1-based
     * step t, given the sums of the whole block the range belongs to: {@link #fused} evaluated element by element.
     */
    default void apply(Vec g, Vec state, int from, int to, long t, double learningRate, double[] sums) {
        FusedStep step = fused(t, learningRate, sums);
        int n = g.length(), len = to - from, slots = step.stateSlots();
        double[][] rows = new double[1 + slots][len];
        g.read(from, rows[0], 0, len);
        for (int k = 0; k < slots; k++) {
            state.read(k * n + from, rows[1 + k], 0, len);
        }
        step.apply(rows[0], slots > 0 ? rows[1] : null, slots > 1 ? rows[2] : null, len);
        g.write(from, rows[0], 0, len);
        for (int k = 0; k < slots; k++) {
            state.write(k * n + from, rows[1 + k], 0, len);
        }
    }

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
