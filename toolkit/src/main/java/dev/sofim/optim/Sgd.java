package dev.sofim.optim;

import java.util.List;

/**
 * Stochastic gradient descent, with optional heavy-ball or Nesterov momentum (a baseline of the
 * SOFIM paper, arXiv:2403.02833, which compares against SGD with momentum).
 *
 * <p>At 1-based step t, with gradient g_t, momentum μ and learning rate η_t (PyTorch's form):
 * <pre>
 *   μ = 0:      s_t = g_t
 *   heavy ball: v_t = μ·v_{t−1} + g_t,   s_t = v_t
 *   Nesterov:   v_t = μ·v_{t−1} + g_t,   s_t = g_t + μ·v_t
 *   θ_{t+1} = θ_t − η_t·(s_t + λ·θ_t)
 * </pre>
 * Defaults: {@link #DEFAULT_LEARNING_RATE}, {@link #DEFAULT_MOMENTUM}. Differences from the
 * textbook: weight decay is decoupled (λ, default 0), not an L2 term added to g. ND4J's own
 * {@code Nesterovs} puts η inside the velocity; the two agree for a constant η.
 *
 * @param learningRate η > 0
 * @param momentum     μ ∈ [0, 1)
 * @param nesterov     Nesterov's look-ahead form (needs μ > 0)
 * @param weightDecay  decoupled weight decay λ ≥ 0
 * @param schedule     the learning-rate schedule
 */
public record Sgd(double learningRate, double momentum, boolean nesterov, double weightDecay,
                  LearningRateSchedule schedule) implements UpdateRule {
    @Override
    public Kind kind() {
        return Kind.SGD;
    }

    public static final double DEFAULT_LEARNING_RATE = 0.01;
    public static final double DEFAULT_MOMENTUM = 0.9;

    private static final List<String> VELOCITY = List.of("V");

    public Sgd {
        Hyper.positive("Sgd", "learningRate", learningRate);
        Hyper.unitInterval("Sgd", "momentum", momentum);
        if (nesterov && momentum == 0) {
            throw Hyper.bad("Sgd", "momentum", momentum, "> 0 when nesterov is true");
        }
        Hyper.nonNegative("Sgd", "weightDecay", weightDecay);
        Hyper.present("Sgd", "schedule", schedule);
    }

    /** Plain SGD: no momentum. */
    public static Sgd plain(double learningRate) {
        return new Sgd(learningRate, 0, false, 0, LearningRateSchedule.constant());
    }

    /** SGD with heavy-ball momentum. */
    public static Sgd momentum(double learningRate, double momentum) {
        return new Sgd(learningRate, momentum, false, 0, LearningRateSchedule.constant());
    }

    /** SGD with Nesterov momentum. */
    public static Sgd nesterov(double learningRate, double momentum) {
        return new Sgd(learningRate, momentum, true, 0, LearningRateSchedule.constant());
    }

    /** Heavy-ball momentum with the default hyperparameters. */
    public static Sgd defaults() {
        return momentum(DEFAULT_LEARNING_RATE, DEFAULT_MOMENTUM);
    }

    public Sgd withLearningRate(double v) {
        return new Sgd(v, momentum, nesterov, weightDecay, schedule);
    }

    public Sgd withMomentum(double v) {
        return new Sgd(learningRate, v, nesterov, weightDecay, schedule);
    }

    /** Nesterov (true) or heavy-ball (false) momentum. */
    public Sgd withNesterov(boolean v) {
        return new Sgd(learningRate, momentum, v, weightDecay, schedule);
    }

    public Sgd withWeightDecay(double v) {
        return new Sgd(learningRate, momentum, nesterov, v, schedule);
    }

    public Sgd withSchedule(LearningRateSchedule v) {
        return new Sgd(learningRate, momentum, nesterov, weightDecay, v);
    }

    @Override
    public List<String> stateNames() {
        return momentum == 0 ? List.of() : VELOCITY;
    }

    @Override
    public FusedStep.Sums passOne() {
        return FusedStep.Sums.GRADIENT;
    }

    /** s = η·g; with momentum v = μ·v + g and s = η·v, or s = η·(g + μ·v) for Nesterov. */
    @Override
    public FusedStep fused(long t, double lr, double[] sums) {
        if (momentum == 0) {
            return new FusedStep.Linear(FusedStep.Linear.Form.G, 0, 0, 1, 0, lr);
        }
        return nesterov ? new FusedStep.Linear(FusedStep.Linear.Form.GM, momentum, 1, 1, momentum, lr)
                : new FusedStep.Linear(FusedStep.Linear.Form.M, momentum, 1, 0, 1, lr);
    }
}
