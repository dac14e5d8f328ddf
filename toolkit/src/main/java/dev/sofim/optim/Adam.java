package dev.sofim.optim;

import java.util.List;

/**
 * Adam (Kingma and Ba, 2015), with decoupled weight decay (AdamW, Loshchilov and Hutter, 2019)
 * when λ > 0. A baseline for SOFIM (arXiv:2403.02833), whose first moment is Adam's.
 *
 * <p>At 1-based step t:
 * <pre>
 *   m_t = β₁·m_{t−1} + (1 − β₁)·g_t,     v_t = β₂·v_{t−1} + (1 − β₂)·g_t²
 *   m̂_t = m_t / (1 − β₁^t),             v̂_t = v_t / (1 − β₂^t)
 *   θ_{t+1} = θ_t − η_t·( m̂_t / (√v̂_t + ε) + λ·θ_t )
 * </pre>
 * Defaults: {@link #DEFAULT_LEARNING_RATE}, {@link #DEFAULT_BETA1}, {@link #DEFAULT_BETA2},
 * {@link #DEFAULT_EPSILON} (the Adam paper's). Written here rather than taken from Tribuo 4.3.2,
 * whose {@code Adam} multiplies by √v̂ instead of dividing.
 *
 * @param learningRate η > 0
 * @param beta1        β₁ ∈ [0, 1)
 * @param beta2        β₂ ∈ [0, 1)
 * @param epsilon      ε > 0
 * @param weightDecay  decoupled weight decay λ ≥ 0
 * @param schedule     the learning-rate schedule
 */
public record Adam(double learningRate, double beta1, double beta2, double epsilon, double weightDecay,
                   LearningRateSchedule schedule) implements UpdateRule {
    @Override
    public Kind kind() {
        return Kind.ADAM;
    }

    public static final double DEFAULT_LEARNING_RATE = 1e-3;
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPSILON = 1e-8;

    private static final List<String> MOMENTS = List.of("M", "V");

    public Adam {
        Hyper.positive("Adam", "learningRate", learningRate);
        Hyper.unitInterval("Adam", "beta1", beta1);
        Hyper.unitInterval("Adam", "beta2", beta2);
        Hyper.positive("Adam", "epsilon", epsilon);
        Hyper.nonNegative("Adam", "weightDecay", weightDecay);
        Hyper.present("Adam", "schedule", schedule);
    }

    public static Adam defaults() {
        return new Adam(DEFAULT_LEARNING_RATE, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON, 0,
                LearningRateSchedule.constant());
    }

    public Adam withLearningRate(double v) {
        return new Adam(v, beta1, beta2, epsilon, weightDecay, schedule);
    }

    public Adam withBeta1(double v) {
        return new Adam(learningRate, v, beta2, epsilon, weightDecay, schedule);
    }

    public Adam withBeta2(double v) {
        return new Adam(learningRate, beta1, v, epsilon, weightDecay, schedule);
    }

    public Adam withEpsilon(double v) {
        return new Adam(learningRate, beta1, beta2, v, weightDecay, schedule);
    }

    public Adam withWeightDecay(double v) {
        return new Adam(learningRate, beta1, beta2, epsilon, v, schedule);
    }

    public Adam withSchedule(LearningRateSchedule v) {
        return new Adam(learningRate, beta1, beta2, epsilon, weightDecay, v);
    }

    @Override
    public List<String> stateNames() {
        return MOMENTS;
    }

    @Override
    public FusedStep.Sums passOne() {
        return FusedStep.Sums.GRADIENT;
    }

    @Override
    public FusedStep fused(long t, double lr, double[] sums) {
        return new FusedStep.AdamStep(beta1, beta2, lr, 1 - Math.pow(beta1, t), 1 - Math.pow(beta2, t), epsilon);
    }
}
