package dev.sofim.optim;

import java.util.List;

/**
 * SOFIM: stochastic optimization using the regularized Fisher information matrix.
 *
 * <p>M. Sen, A. K. Qin, Gayathri C, Raghu Kishore N, Y.-W. Chen, B. Raman, "SOFIM: Stochastic
 * Optimization Using Regularized Fisher Information Matrix", arXiv:2403.02833 (v2, 2024).
 *
 * <p>At 1-based step t, with mini-batch gradient g_t (the mean of the per-example gradients):
 * <pre>
 *   m_t = β·m_{t−1} + (1 − β)·g_t,   m_0 = 0,   m̂_t = m_t / (1 − β^t)
 *   F_t = g_t g_tᵀ + ρ·I                                     (regularized FIM)
 *   d_t = F_t⁻¹ m̂_t = ( m̂_t − g_t · (g_tᵀ m̂_t) / (ρ + g_tᵀ g_t) ) / ρ   (Sherman–Morrison)
 *   θ_{t+1} = θ_t − η_t·(d_t + λ·θ_t)
 * </pre>
 * Two dot products and two vector passes: O(n) time; the only state is m (SGD-with-momentum memory).
 *
 * <p>Ablations are the {@link Variant} setting; the extent of F is the {@link Scope} setting.
 *
 * <p>Defaults: {@link #DEFAULT_LEARNING_RATE}, {@link #DEFAULT_BETA}, {@link #DEFAULT_RHO}. The paper
 * does not fix η and ρ for all models; these defaults come from a grid on this toolkit's MNIST MLP
 * (see the README); β follows Adam's first moment. Tuning guide: when ‖g‖² ≪ ρ, d ≈ m̂/ρ, so η/ρ
 * acts as the learning rate of (EMA) SGD with momentum; when ‖g‖² ≫ ρ the step along g is damped
 * and the rest of m̂ amplified by 1/ρ, which diverges if ρ is far below the typical ‖g‖².
 *
 * <p>Where this differs from the paper: the decoupled weight decay λ (default 0), the
 * learning-rate schedule hook, the block-diagonal scopes and the ablation variants are additions;
 * with their defaults the rule is the paper's. Sums are accumulated in double precision whatever
 * the storage type.
 *
 * @param learningRate η > 0
 * @param beta         β ∈ [0, 1), first-moment decay (not used by {@link Variant#NO_MOMENTUM})
 * @param rho          ρ > 0 (ρ ≥ 0 and not used by {@link Variant#NO_REGULARIZATION})
 * @param variant      the ablation
 * @param scope        over which parameters one F is formed
 * @param weightDecay  decoupled weight decay λ ≥ 0
 * @param schedule     the learning-rate schedule
 */
public record Sofim(double learningRate, double beta, double rho, Variant variant, Scope scope,
                    double weightDecay, LearningRateSchedule schedule) implements UpdateRule {

    public static final double DEFAULT_LEARNING_RATE = 5.0;
    public static final double DEFAULT_BETA = 0.9;
    public static final double DEFAULT_RHO = 10.0;

    private static final List<String> MOMENT = List.of("M");

    public Sofim {
        Hyper.positive("Sofim", "learningRate", learningRate);
        Hyper.unitInterval("Sofim", "beta", beta);
        Hyper.present("Sofim", "variant", variant);
        Hyper.present("Sofim", "scope", scope);
        Hyper.present("Sofim", "schedule", schedule);
        if (variant == Variant.NO_REGULARIZATION) {
            Hyper.nonNegative("Sofim", "rho", rho);
        } else {
            Hyper.positive("Sofim", "rho", rho);
        }
        Hyper.nonNegative("Sofim", "weightDecay", weightDecay);
    }

    /** The paper's SOFIM with the default hyperparameters. */
    public static Sofim defaults() {
        return new Sofim(DEFAULT_LEARNING_RATE, DEFAULT_BETA, DEFAULT_RHO, Variant.FULL, Scope.GLOBAL, 0.0,
                LearningRateSchedule.constant());
    }

    /** The defaults with the given variant. */
    public static Sofim of(Variant variant) {
        return defaults().withVariant(variant);
    }

    public Sofim withLearningRate(double v) {
        return new Sofim(v, beta, rho, variant, scope, weightDecay, schedule);
    }

    public Sofim withBeta(double v) {
        return new Sofim(learningRate, v, rho, variant, scope, weightDecay, schedule);
    }

    public Sofim withRho(double v) {
        return new Sofim(learningRate, beta, v, variant, scope, weightDecay, schedule);
    }

    public Sofim withVariant(Variant v) {
        return new Sofim(learningRate, beta, rho, v, scope, weightDecay, schedule);
    }

    public Sofim withScope(Scope v) {
        return new Sofim(learningRate, beta, rho, variant, v, weightDecay, schedule);
    }

    public Sofim withWeightDecay(double v) {
        return new Sofim(learningRate, beta, rho, variant, scope, v, schedule);
    }

    public Sofim withSchedule(LearningRateSchedule v) {
        return new Sofim(learningRate, beta, rho, variant, scope, weightDecay, v);
    }

    @Override
    public List<String> stateNames() {
        return variant == Variant.NO_MOMENTUM ? List.of() : MOMENT;
    }

    @Override
    public void reduce(Vec g, Vec state, int from, int to, double[] sums) {
        if (variant == Variant.FULL || variant == Variant.NO_REGULARIZATION) {
            // g·g and g·m_t, with m_t computed on the fly: nothing is written in this pass.
            double gg = 0, gm = 0;
            for (int i = from; i < to; i++) {
                double gi = g.get(i);
                gg += gi * gi;
                gm += gi * (beta * state.get(i) + (1 - beta) * gi);
            }
            sums[0] = gg;
            sums[1] = gm;
        } else {
            sums[0] = UpdateRule.sumOfSquares(g, from, to);
            sums[1] = 0;
        }
    }

    @Override
    public void apply(Vec g, Vec state, int from, int to, long t, double lr, double[] sums) {
        double gg = sums[0];
        switch (variant) {
            case NO_MOMENTUM -> {
                double scale = lr / (rho + gg);
                for (int i = from; i < to; i++) {
                    g.set(i, scale * g.get(i));
                }
            }
            case FULL -> {
                double bc = 1 - Math.pow(beta, t);
                double c = (sums[1] / bc) / (rho + gg);
                double mScale = lr / (rho * bc);
                double gScale = lr * c / rho;
                for (int i = from; i < to; i++) {
                    double gi = g.get(i);
                    double m = beta * state.get(i) + (1 - beta) * gi;
                    state.set(i, m);
                    g.set(i, mScale * m - gScale * gi);
                }
            }
            case NO_REGULARIZATION -> {
                double bc = 1 - Math.pow(beta, t);
                double gScale = gg == 0 ? 0 : lr * ((sums[1] / bc) / gg) / gg;
                for (int i = from; i < to; i++) {
                    double gi = g.get(i);
                    state.set(i, beta * state.get(i) + (1 - beta) * gi);
                    g.set(i, gScale * gi);
                }
            }
            case DIAGONAL_FIM -> {
                double mScale = lr / (1 - Math.pow(beta, t));
                for (int i = from; i < to; i++) {
                    double gi = g.get(i);
                    double m = beta * state.get(i) + (1 - beta) * gi;
                    state.set(i, m);
                    g.set(i, mScale * m / (gi * gi + rho));
                }
            }
        }
    }
}
