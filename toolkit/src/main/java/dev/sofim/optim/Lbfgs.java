package dev.sofim.optim;

import java.util.SplittableRandom;

/**
 * Stochastic limited-memory BFGS in the online form of Schraudolph, Yu and Günter ("A Stochastic
 * Quasi-Newton Method for Online Convex Optimization", AISTATS 2007): the curvature pair of a step
 * is taken on the step's own mini-batch, so the gradient difference measures curvature and not the
 * noise between batches. A Newton-type baseline of the SOFIM paper (arXiv:2403.02833).
 *
 * <p>At step t, with the last m accepted pairs (s_i, y_i):
 * <pre>
 *   d   = H_t g_t    by the two-loop recursion (Nocedal and Wright, Algorithm 7.4), H⁰ = γ·I,
 *                    γ = s_{t−1}ᵀy_{t−1} / y_{t−1}ᵀy_{t−1} of the newest pair (H = I before the first pair)
 *   α   = η, or with the line search the first of η, η/2, η/4, … ({@value #MAX_BACKTRACKS} halvings at most)
 *         with f_B(θ − αd) ≤ f_B(θ) − c₁·α·g_tᵀd, c₁ = {@value #ARMIJO_C1}  (Armijo, on the same mini-batch B)
 *   θ'  = θ − αd,    s = θ' − θ,    y = ∇f_B(θ') − ∇f_B(θ)
 *   keep (s, y) unless sᵀy ≤ ε·‖s‖·‖y‖ (too little curvature: skipped and counted)
 * </pre>
 * If d is not a descent direction (gᵀd ≤ 0, possible only through rounding), the step falls back to
 * d = g. Defaults: history m = {@value #DEFAULT_HISTORY}, η = {@value #DEFAULT_LEARNING_RATE},
 * ε = {@value #DEFAULT_CURVATURE_EPSILON}, no line search.
 *
 * <p>Differences from oLBFGS: no λ·s damping term in y, no averaged initial scaling (the usual
 * newest-pair γ instead), no step-size decay (the harness's schedule is constant). Cost: 2 gradient
 * evaluations per step, plus one per backtrack; state 2m numbers per parameter.
 *
 * @param learningRate     η > 0, the (first trial) step length
 * @param history          m ≥ 1 pairs kept
 * @param curvatureEpsilon ε > 0 of the pair test
 * @param lineSearch       backtrack on the mini-batch until the Armijo condition holds
 */
public record Lbfgs(double learningRate, int history, double curvatureEpsilon, boolean lineSearch) implements OracleRule {
    @Override
    public Kind kind() {
        return Kind.LBFGS;
    }

    public static final double DEFAULT_LEARNING_RATE = 0.1;
    public static final int DEFAULT_HISTORY = 10;
    public static final double DEFAULT_CURVATURE_EPSILON = 1e-4;
    /** Sufficient-decrease constant c₁ of the Armijo test. */
    public static final double ARMIJO_C1 = 1e-4;
    /** Most halvings of the step in one line search; after them the smallest trial is taken. */
    public static final int MAX_BACKTRACKS = 10;

    /** State header: pairs stored, index of the newest, pairs skipped so far. */
    private static final int HEADER = 3;

    public Lbfgs {
        Hyper.positive("Lbfgs", "learningRate", learningRate);
        Hyper.atLeastOne("Lbfgs", "history", history);
        Hyper.positive("Lbfgs", "curvatureEpsilon", curvatureEpsilon);
    }

    public static Lbfgs defaults() {
        return new Lbfgs(DEFAULT_LEARNING_RATE, DEFAULT_HISTORY, DEFAULT_CURVATURE_EPSILON, false);
    }

    @Override
    public Lbfgs withLearningRate(double v) {
        return new Lbfgs(v, history, curvatureEpsilon, lineSearch);
    }

    public Lbfgs withHistory(int v) {
        return new Lbfgs(learningRate, v, curvatureEpsilon, lineSearch);
    }

    public Lbfgs withCurvatureEpsilon(double v) {
        return new Lbfgs(learningRate, history, v, lineSearch);
    }

    /** Armijo backtracking on the mini-batch (true) or the fixed step (false). */
    public Lbfgs withLineSearch(boolean v) {
        return new Lbfgs(learningRate, history, curvatureEpsilon, v);
    }

    /** 2: the gradient, and the new point's gradient on the same mini-batch for the curvature pair. */
    @Override
    public double evaluationsPerStep() {
        return 2;
    }

    @Override
    public double statePerParameter() {
        return 2.0 * history;
    }

    @Override
    public int stateLength(int n) {
        return HEADER + 2 * history * n;
    }

    /** Curvature pairs skipped so far (sᵀy ≤ ε‖s‖‖y‖), read from a state array. */
    public static long skippedPairs(double[] state) {
        return (long) state[2];
    }

    @Override
    public void step(double[] theta, double[] grad, double loss, CountingOracle oracle, double[] state, long t,
                     ParameterLayout layout, SplittableRandom random) {
        int n = theta.length;
        double[] d = direction(grad, state, n);
        double slope = Dense.dot(grad, d);
        if (!(slope > 0 && Double.isFinite(slope))) {
            d = grad.clone();
            slope = Dense.dot(grad, grad);
        }
        double[] trial = new double[n];
        double[] trialGrad = new double[n];
        double alpha = learningRate;
        for (int k = 0; ; k++) {
            for (int i = 0; i < n; i++) {
                trial[i] = theta[i] - alpha * d[i];
            }
            oracle.round(trial);
            if (!lineSearch) {
                oracle.gradient(trial, trialGrad);
                break;
            }
            double f = oracle.tryGradient(trial, trialGrad);
            boolean finite = Double.isFinite(f);
            if (finite && f <= loss - ARMIJO_C1 * alpha * slope) {
                break;
            }
            if (k == MAX_BACKTRACKS) {
                if (!finite) {
                    throw NonFiniteGradientException.of(NonFiniteGradientException.ORACLE_GRADIENT, trialGrad, oracle.step());
                }
                break;
            }
            alpha /= 2;
        }
        double[] s = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = trial[i] - theta[i];
            y[i] = trialGrad[i] - grad[i];
        }
        double sy = Dense.dot(s, y);
        if (sy > curvatureEpsilon * Math.sqrt(Dense.dot(s, s)) * Math.sqrt(Dense.dot(y, y))) {
            push(state, n, s, y);
        } else {
            state[2]++;
        }
        System.arraycopy(trial, 0, theta, 0, n);
    }

    /** H·g by the two-loop recursion over the stored pairs, oldest to newest. */
    private double[] direction(double[] g, double[] state, int n) {
        int count = (int) state[0], newest = (int) state[1];
        double[] q = g.clone();
        if (count == 0) {
            return q;
        }
        double[] a = new double[count];
        double[] rho = new double[count];
        for (int j = 0; j < count; j++) { // newest first
            int slot = Math.floorMod(newest - j, history);
            rho[j] = 1 / Dense.dot(state, sOff(slot, n), state, yOff(slot, n), n);
            a[j] = rho[j] * Dense.dot(state, sOff(slot, n), q, 0, n);
            axpy(-a[j], state, yOff(slot, n), q, n);
        }
        int sNew = sOff(newest, n), yNew = yOff(newest, n);
        double gamma = Dense.dot(state, sNew, state, yNew, n) / Dense.dot(state, yNew, state, yNew, n);
        for (int i = 0; i < n; i++) {
            q[i] *= gamma;
        }
        for (int j = count - 1; j >= 0; j--) { // oldest first
            int slot = Math.floorMod(newest - j, history);
            double b = rho[j] * Dense.dot(state, yOff(slot, n), q, 0, n);
            axpy(a[j] - b, state, sOff(slot, n), q, n);
        }
        return q;
    }

    private void push(double[] state, int n, double[] s, double[] y) {
        int count = (int) state[0];
        int slot = count == 0 ? 0 : (int) (state[1] + 1) % history;
        System.arraycopy(s, 0, state, sOff(slot, n), n);
        System.arraycopy(y, 0, state, yOff(slot, n), n);
        state[0] = Math.min(history, count + 1);
        state[1] = slot;
    }

    private static int sOff(int slot, int n) {
        return HEADER + 2 * slot * n;
    }

    private static int yOff(int slot, int n) {
        return HEADER + (2 * slot + 1) * n;
    }

    /** q += c·x[xo, xo + n). */
    private static void axpy(double c, double[] x, int xo, double[] q, int n) {
        for (int i = 0; i < n; i++) {
            q[i] += c * x[xo + i];
        }
    }
}
