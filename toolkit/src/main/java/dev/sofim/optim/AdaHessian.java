package dev.sofim.optim;

import java.util.SplittableRandom;

/**
 * AdaHessian (Yao, Gholami, Shen, Mustafa, Keutzer and Mahoney, "ADAHESSIAN: An Adaptive Second Order
 * Optimizer for Machine Learning", AAAI 2021, arXiv:2006.00719): Adam with the squared gradient
 * replaced by the squared Hutchinson estimate of the Hessian diagonal. A Newton-type baseline of the
 * SOFIM paper (arXiv:2403.02833).
 *
 * <p>At 1-based step t, with z ∈ {−1, +1}ⁿ Rademacher and H the mini-batch Hessian at θ_t:
 * <pre>
 *   if (t − 1) mod T = 0:   D = |z ⊙ (H z)|, averaged over the k_h·k_w spatial positions of every
 *                           convolution kernel (spatial averaging); else D is the last estimate
 *   m_t = β₁·m_{t−1} + (1 − β₁)·g_t,        v_t = β₂·v_{t−1} + (1 − β₂)·D²
 *   θ_{t+1} = θ_t − η/(1 − β₁^t) · m_t / ( (v_t/(1 − β₂^t))^{k/2} + ε )
 * </pre>
 * Defaults, the reference implementation's: η = {@value #DEFAULT_LEARNING_RATE}, β₁ = {@value #DEFAULT_BETA1},
 * β₂ = {@value #DEFAULT_BETA2}, ε = {@value #DEFAULT_EPSILON}, Hessian power k = {@value #DEFAULT_HESSIAN_POWER},
 * one probe per step, Hessian update interval T = {@value #DEFAULT_HESSIAN_INTERVAL}.
 *
 * <p>Differences from the reference: H z comes from {@link CountingOracle} (central differences of
 * gradients unless the model supplies an exact product), not from double back-propagation; no weight
 * decay; the interval T (as in later implementations' {@code update_each}) reuses the last D between
 * estimates while v keeps averaging. Cost: 1 + 2/T gradient evaluations per step; state 3 numbers per
 * parameter (m, v, D).
 *
 * @param learningRate     η > 0
 * @param beta1            β₁ ∈ [0, 1)
 * @param beta2            β₂ ∈ [0, 1)
 * @param epsilon          ε > 0
 * @param hessianPower     k ∈ (0, 1]
 * @param hessianInterval  T ≥ 1: a new Hutchinson estimate every T steps
 * @param spatialAveraging average D over convolution kernels' spatial positions (the paper's choice)
 */
public record AdaHessian(double learningRate, double beta1, double beta2, double epsilon, double hessianPower,
                         int hessianInterval, boolean spatialAveraging) implements OracleRule {
    @Override
    public Kind kind() {
        return Kind.ADAHESSIAN;
    }

    public static final double DEFAULT_LEARNING_RATE = 0.15;
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPSILON = 1e-4;
    public static final double DEFAULT_HESSIAN_POWER = 1;
    public static final int DEFAULT_HESSIAN_INTERVAL = 1;

    public AdaHessian {
        Hyper.positive("AdaHessian", "learningRate", learningRate);
        Hyper.unitInterval("AdaHessian", "beta1", beta1);
        Hyper.unitInterval("AdaHessian", "beta2", beta2);
        Hyper.positive("AdaHessian", "epsilon", epsilon);
        if (!(hessianPower > 0 && hessianPower <= 1)) {
            throw Hyper.bad("AdaHessian", "hessianPower", hessianPower, "a number in (0, 1]");
        }
        Hyper.atLeastOne("AdaHessian", "hessianInterval", hessianInterval);
    }

    public static AdaHessian defaults() {
        return new AdaHessian(DEFAULT_LEARNING_RATE, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON,
                DEFAULT_HESSIAN_POWER, DEFAULT_HESSIAN_INTERVAL, true);
    }

    @Override
    public AdaHessian withLearningRate(double v) {
        return new AdaHessian(v, beta1, beta2, epsilon, hessianPower, hessianInterval, spatialAveraging);
    }

    public AdaHessian withBeta1(double v) {
        return new AdaHessian(learningRate, v, beta2, epsilon, hessianPower, hessianInterval, spatialAveraging);
    }

    public AdaHessian withBeta2(double v) {
        return new AdaHessian(learningRate, beta1, v, epsilon, hessianPower, hessianInterval, spatialAveraging);
    }

    public AdaHessian withEpsilon(double v) {
        return new AdaHessian(learningRate, beta1, beta2, v, hessianPower, hessianInterval, spatialAveraging);
    }

    public AdaHessian withHessianPower(double v) {
        return new AdaHessian(learningRate, beta1, beta2, epsilon, v, hessianInterval, spatialAveraging);
    }

    public AdaHessian withHessianInterval(int v) {
        return new AdaHessian(learningRate, beta1, beta2, epsilon, hessianPower, v, spatialAveraging);
    }

    public AdaHessian withSpatialAveraging(boolean v) {
        return new AdaHessian(learningRate, beta1, beta2, epsilon, hessianPower, hessianInterval, v);
    }

    @Override
    public double statePerParameter() {
        return 3;
    }

    /** 1 + 2/T: the gradient, and a central-difference Hessian–vector product every T steps. */
    @Override
    public double evaluationsPerStep() {
        return 1 + 2.0 / hessianInterval;
    }

    @Override
    public int stateLength(int n) {
        return 3 * n;
    }

    @Override
    public void step(double[] theta, double[] grad, double loss, CountingOracle oracle, double[] state, long t,
                     ParameterLayout layout, SplittableRandom random) {
        int n = theta.length;
        if ((t - 1) % hessianInterval == 0) {
            double[] z = rademacher(n, random);
            double[] hz = new double[n];
            oracle.hessianVectorProduct(theta, z, hz);
            hutchinsonDiagonal(z, hz, spatialAveraging ? layout : ParameterLayout.flat(n), state, 2 * n);
        }
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        double stepSize = learningRate / bc1;
        for (int i = 0; i < n; i++) {
            double m = beta1 * state[i] + (1 - beta1) * grad[i];
            double d = state[2 * n + i];
            double v = beta2 * state[n + i] + (1 - beta2) * d * d;
            state[i] = m;
            state[n + i] = v;
            double denom = (hessianPower == 1 ? Math.sqrt(v / bc2) : Math.pow(v / bc2, hessianPower / 2)) + epsilon;
            theta[i] -= stepSize * m / denom;
        }
    }

    /** n independent ±1 entries. */
    static double[] rademacher(int n, SplittableRandom random) {
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = random.nextBoolean() ? 1 : -1;
        }
        return z;
    }

    /**
     * Writes |z ⊙ Hz|, averaged over every kernel group of the layout, into {@code out[offset, offset + n)}.
     */
    static void hutchinsonDiagonal(double[] z, double[] hz, ParameterLayout layout, double[] out, int offset) {
        for (int s = 0; s < layout.segments(); s++) {
            int k = layout.kernelSize(s);
            for (int from = layout.start(s); from < layout.end(s); from += k) {
                double sum = 0;
                for (int i = from; i < from + k; i++) {
                    sum += Math.abs(z[i] * hz[i]);
                }
                double mean = sum / k;
                for (int i = from; i < from + k; i++) {
                    out[offset + i] = mean;
                }
            }
        }
    }
}
