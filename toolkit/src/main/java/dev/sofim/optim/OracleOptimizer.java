package dev.sofim.optim;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An {@link OracleRule} with its state, stepping a {@code double[]} of parameters in place: the
 * plain-Java way to run AdaHessian, L-BFGS and Nyström-SGD, and what the adapters' training steps
 * call. It counts gradient evaluations (the caller's gradient at θ counts one per step) and draws
 * each step's random numbers from {@code (seed, t)} alone, so a run restored from a
 * {@link #snapshot()} continues with the same numbers as an uninterrupted one.
 */
public final class OracleOptimizer {
    private static final double FORMAT = 1;
    private static final int HEADER = 4;

    private final OracleRule rule;
    private final ParameterLayout layout;
    private final long seed;
    private final double[] state;
    private long step;
    private long evaluations;

    /**
     * @param rule   the rule
     * @param layout the parameters' tensors (for AdaHessian's spatial averaging); {@link ParameterLayout#flat} if none
     * @param seed   seed of the probe vectors and sampled columns
     */
    public OracleOptimizer(OracleRule rule, ParameterLayout layout, long seed) {
        this.rule = Hyper.present("OracleOptimizer", "rule", rule);
        this.layout = Hyper.present("OracleOptimizer", "layout", layout);
        this.seed = seed;
        this.state = new double[rule.stateLength(layout.dimension())];
    }

    /**
     * One step: θ ← θ − step, given ∇f(θ) and f(θ) of the mini-batch the oracle evaluates. {@code grad}
     * is not modified.
     *
     * @throws NonFiniteGradientException if the gradient, a Hessian–vector product or a gradient at a trial
     *                                    point is not finite; θ, the state and the counters are then unchanged
     */
    public void step(double[] theta, double[] grad, double loss, GradientOracle oracle) {
        int n = layout.dimension();
        if (theta.length != n || grad.length != n || oracle.dimension() != n) {
            throw new IllegalArgumentException("expected " + n + " parameters, gradients and oracle dimension, got "
                    + theta.length + ", " + grad.length + " and " + oracle.dimension());
        }
        long t = step + 1;
        for (double g : grad) {
            if (!Double.isFinite(g)) {
                throw NonFiniteGradientException.of(NonFiniteGradientException.GRADIENT, grad, t);
            }
        }
        CountingOracle counting = new CountingOracle(oracle, t);
        double[] newTheta = theta.clone();
        double[] newState = state.clone();
        rule.step(newTheta, grad.clone(), loss, counting, newState, t, layout, random(t));
        for (double x : newTheta) {
            if (!Double.isFinite(x)) {
                throw new NonFiniteGradientException(NonFiniteGradientException.GRADIENT, t, 0, n);
            }
        }
        System.arraycopy(newTheta, 0, theta, 0, n);
        System.arraycopy(newState, 0, state, 0, state.length);
        step = t;
        evaluations += 1 + counting.evaluations();
    }

    private SplittableRandom random(long t) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + t);
    }

    public OracleRule rule() {
        return rule;
    }

    /** Steps taken so far. */
    public long steps() {
        return step;
    }

    /** Gradient evaluations so far, the caller's one per step included. */
    public long gradientEvaluations() {
        return evaluations;
    }

    /** A copy of the state. */
    public double[] state() {
        return state.clone();
    }

    /** Everything needed to continue exactly: format, seed, step, evaluations, state. */
    public double[] snapshot() {
        double[] s = new double[HEADER + state.length];
        s[0] = FORMAT;
        s[1] = Double.longBitsToDouble(seed);
        s[2] = step;
        s[3] = evaluations;
        System.arraycopy(state, 0, s, HEADER, state.length);
        return s;
    }

    /** Continues from a {@link #snapshot()} of an optimizer with the same rule, layout and seed. */
    public void restore(double[] snapshot) {
        if (snapshot.length != HEADER + state.length || snapshot[0] != FORMAT
                || Double.doubleToRawLongBits(snapshot[1]) != seed) {
            throw new IllegalArgumentException("optimizer snapshot does not fit " + this + ": expected format " + FORMAT
                    + ", seed " + seed + " and " + (HEADER + state.length) + " numbers, got "
                    + (snapshot.length > 0 ? "format " + snapshot[0] + ", " : "") + snapshot.length + " numbers");
        }
        step = (long) snapshot[2];
        evaluations = (long) snapshot[3];
        System.arraycopy(snapshot, HEADER, state, 0, state.length);
    }

    @Override
    public String toString() {
        return "OracleOptimizer[" + rule + ", n=" + layout.dimension() + ", seed=" + seed + ", steps=" + step
                + ", gradientEvaluations=" + evaluations + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OracleOptimizer other && rule.equals(other.rule) && seed == other.seed
                && step == other.step && evaluations == other.evaluations && Arrays.equals(state, other.state);
    }

    @Override
    public int hashCode() {
        return rule.hashCode() * 31 + Long.hashCode(step);
    }
}
