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
 *   F_t = u_t u_tᵀ + ρ·I                                      (regularized rank-one FIM)
 *   d_t = F_t⁻¹ v_t = ( v_t − u_t · (u_tᵀ v_t) / (ρ + u_tᵀ u_t) ) / ρ      (Sherman–Morrison)
 *   θ_{t+1} = θ_t − η_t·(d_t + λ·θ_t)
 * </pre>
 * where the {@link Reading} says what u and v are:
 * <ul>
 *   <li>{@link Reading#PAPER} (default), u = v = m̂: d = m̂ / (ρ + ‖m̂‖²), the momentum rescaled by one
 *       number. SOFIM's Algorithm 1 as quoted by the public code of a follow-up by one of its authors
 *       (GitHub {@code sid0nair/DP-FedSOFIM}, {@code train.py}, {@code DPFedGDServerSOFIM}); see
 *       {@link Reading} for the evidence and its limits.</li>
 *   <li>{@link Reading#GRADIENT}, u = g, v = m̂: this project's first reading (revision 1).</li>
 *   <li>{@link Reading#PRECONDITIONED_GRADIENT}, u = m (not bias-corrected), v = g: the DP-FedSOFIM
 *       paper text.</li>
 * </ul>
 * The ablations ({@link Variant}) change F, keeping u and v: {@link Variant#NO_MOMENTUM} F = g gᵀ + ρI
 * applied to g (d = g / (ρ + ‖g‖²), every reading alike, no state); {@link Variant#NO_REGULARIZATION}
 * F = u uᵀ with the Moore–Penrose pseudo-inverse (d = u (uᵀv) / (uᵀu)², 0 when u = 0);
 * {@link Variant#DIAGONAL_FIM} F = diag(u ⊙ u) + ρI (d = v ⊘ (u ⊙ u + ρ)); {@link Variant#NO_FISHER}, the control,
 * F = ρI (d = v/ρ: for the paper reading bias-corrected EMA momentum at step η/ρ). The extent of F is the
 * {@link Scope}. One formula serves every combination: u and v are each a multiple of g or of m, so
 * the step is a·g + b·m (element-wise for the diagonal) with a, b from three block sums gᵀg, gᵀm, mᵀm.
 * Cost: three dot products in one read-only pass and one writing pass, O(n); the only state is m.
 *
 * <p>Defaults: {@link #DEFAULT_LEARNING_RATE}, {@link #DEFAULT_BETA}, {@link #DEFAULT_RHO}, {@link #DEFAULT_READING}.
 * The paper's η and ρ per dataset were not retrievable; η and ρ are what validation grids on the
 * toolkit's MLP and LeNet-5 chose (see {@link #DEFAULT_LEARNING_RATE}); β follows Adam's first moment
 * and the follow-up's β = 0.9. Tuning guide for the paper reading: when ‖m̂‖² ≪ ρ, d ≈ m̂/ρ, so η/ρ is the learning rate
 * of SGD with (EMA) momentum; when ‖m̂‖² ≫ ρ, d ≈ m̂/‖m̂‖², a normalized step of length η/‖m̂‖ that
 * grows as the gradient shrinks. Every step is at most η/(2√ρ) long: ρ sets a trust radius.
 *
 * <p>Where this differs from the paper: the decoupled weight decay λ (default 0), the learning-rate
 * schedule hook, the block-diagonal scopes, the other readings, the ablation variants and the Fisher-free
 * control are additions; with their defaults the rule is the paper's (as read above). Sums are accumulated in
 * double precision whatever the storage type.
 *
 * @param learningRate η > 0
 * @param beta         β ∈ [0, 1), first-moment decay (not used by {@link Variant#NO_MOMENTUM})
 * @param rho          ρ > 0 (ρ ≥ 0 and not used by {@link Variant#NO_REGULARIZATION})
 * @param reading      what the Fisher matrix is built from and applied to
 * @param variant      the ablation
 * @param scope        over which parameters one F is formed
 * @param weightDecay  decoupled weight decay λ ≥ 0
 * @param schedule     the learning-rate schedule
 */
public record Sofim(double learningRate, double beta, double rho, Reading reading, Variant variant, Scope scope,
                    double weightDecay, LearningRateSchedule schedule) implements UpdateRule {
    @Override
    public Kind kind() {
        return Kind.SOFIM;
    }

    /**
     * η = 3 (with ρ = 10: η/ρ = 0.3). Chosen on validation splits (5,000 images carved from MNIST's or
     * Fashion-MNIST's training set, 2 epochs on 10,000 others, the paper reading, ρ ∈ {0.1, 1, 10} × η/ρ ∈ {0.1,
     * 0.3, 1, 3}): the grids {@code toolkit/examples/mnist-mlp-tune.json}, {@code mnist-lenet-tune.json} and
     * {@code fashion-lenet-tune.json}, results in {@code toolkit/benchmarks/}. (η 3, ρ 10) was the best setting on
     * MNIST LeNet-5 (validation accuracy 0.9610), 0.0006 below the best on the MNIST MLP (η 10, ρ 10: 0.9370) and
     * 0.019 below the best on Fashion-MNIST LeNet-5 (η 10, ρ 10: 0.8302); η 10 would lose 0.044 on MNIST LeNet-5.
     */
    public static final double DEFAULT_LEARNING_RATE = 3.0;
    /** β, as Adam's first moment and the DP-FedSOFIM follow-up. */
    public static final double DEFAULT_BETA = 0.9;
    /** ρ = 10: see {@link #DEFAULT_LEARNING_RATE} for the grid that chose it. */
    public static final double DEFAULT_RHO = 10.0;
    /** The paper's reading: F = m̂ m̂ᵀ + ρI applied to m̂. */
    public static final Reading DEFAULT_READING = Reading.PAPER;
    /**
     * The reading of everything serialized before readings existed (this toolkit's revision 1: DL4J JSON and
     * results folders whose SOFIM has no {@code reading}): the rule those were computed with.
     */
    public static final Reading LEGACY_READING = Reading.GRADIENT;

    private static final List<String> MOMENT = List.of("M");

    public Sofim {
        Hyper.positive("Sofim", "learningRate", learningRate);
        Hyper.unitInterval("Sofim", "beta", beta);
        Hyper.present("Sofim", "reading", reading);
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

    /** The paper's SOFIM (paper reading, full rule, global F) with the default hyperparameters. */
    public static Sofim defaults() {
        return new Sofim(DEFAULT_LEARNING_RATE, DEFAULT_BETA, DEFAULT_RHO, DEFAULT_READING, Variant.FULL, Scope.GLOBAL,
                0.0, LearningRateSchedule.constant());
    }

    /** The defaults with the given variant. */
    public static Sofim of(Variant variant) {
        return defaults().withVariant(variant);
    }

    /** The defaults with the given reading. */
    public static Sofim of(Reading reading) {
        return defaults().withReading(reading);
    }

    public Sofim withLearningRate(double v) {
        return new Sofim(v, beta, rho, reading, variant, scope, weightDecay, schedule);
    }

    public Sofim withBeta(double v) {
        return new Sofim(learningRate, v, rho, reading, variant, scope, weightDecay, schedule);
    }

    public Sofim withRho(double v) {
        return new Sofim(learningRate, beta, v, reading, variant, scope, weightDecay, schedule);
    }

    public Sofim withReading(Reading v) {
        return new Sofim(learningRate, beta, rho, v, variant, scope, weightDecay, schedule);
    }

    public Sofim withVariant(Variant v) {
        return new Sofim(learningRate, beta, rho, reading, v, scope, weightDecay, schedule);
    }

    public Sofim withScope(Scope v) {
        return new Sofim(learningRate, beta, rho, reading, variant, v, weightDecay, schedule);
    }

    public Sofim withWeightDecay(double v) {
        return new Sofim(learningRate, beta, rho, reading, variant, scope, v, schedule);
    }

    public Sofim withSchedule(LearningRateSchedule v) {
        return new Sofim(learningRate, beta, rho, reading, variant, scope, weightDecay, v);
    }

    @Override
    public List<String> stateNames() {
        return variant == Variant.NO_MOMENTUM ? List.of() : MOMENT;
    }

    /** Sums of pass 1: gᵀg, gᵀm_t, m_tᵀm_t (m_t the new moment, computed on the fly; 0 without momentum). */
    private static final int GG = 0, GM = 1, MM = 2;

    @Override
    public FusedStep.Sums passOne() {
        return variant == Variant.NO_MOMENTUM ? FusedStep.Sums.GRADIENT : new FusedStep.Sums(true, beta, 1 - beta);
    }

    @Override
    public FusedStep fused(long t, double lr, double[] sums) {
        boolean moment = variant != Variant.NO_MOMENTUM;
        double mHat = moment ? 1 / (1 - Math.pow(beta, t)) : 0;
        // u = ug·g + um·m and v = vg·g + vm·m; without momentum u = v = g.
        double[] u = moment ? coefficients(reading.fisherVector(), mHat) : GRADIENT_ONLY;
        double[] v = moment ? coefficients(reading.appliedTo(), mHat) : GRADIENT_ONLY;
        double ug = u[0], um = u[1], vg = v[0], vm = v[1];
        double uu = ug * ug * sums[GG] + 2 * ug * um * sums[GM] + um * um * sums[MM];
        double uv = ug * vg * sums[GG] + (ug * vm + um * vg) * sums[GM] + um * vm * sums[MM];
        if (variant == Variant.DIAGONAL_FIM) {
            return new FusedStep.Diagonal(beta, 1 - beta, ug, um, vg, vm, rho, lr);
        }
        // d = a·g + b·m: Sherman–Morrison (v − u·uv/(ρ + uu))/ρ, or the pseudo-inverse u·uv/uu².
        double a, b;
        if (variant == Variant.NO_FISHER) {
            a = vg / rho;
            b = vm / rho;
        } else if (variant == Variant.NO_REGULARIZATION) {
            double s = uu == 0 ? 0 : uv / uu / uu;
            a = s * ug;
            b = s * um;
        } else if (ug == vg && um == vm) {
            // u = v (the paper reading, and no momentum): the same formula simplifies to v/(ρ + uu), which
            // avoids the cancellation in v − u·uu/(ρ + uu) when ρ ≪ uu.
            a = vg / (rho + uu);
            b = vm / (rho + uu);
        } else {
            double k = uv / (rho + uu);
            a = (vg - k * ug) / rho;
            b = (vm - k * um) / rho;
        }
        return new FusedStep.Linear(moment ? FusedStep.Linear.Form.GM : FusedStep.Linear.Form.G, beta, 1 - beta,
                a * lr, b * lr, 1);
    }

    private static final double[] GRADIENT_ONLY = {1, 0};

    /**
     * What regime a step ran in, from the sums of its first pass ({@link UpdateStep#compute} and
     * {@link FloatStep#compute} return them) over all parameters; the step direction is the rule's d (weight decay
     * left out).
     *
     * @param fisherRatio   uᵀu/ρ (paper reading ‖m̂‖²/ρ): ≪ 1 means d ≈ v/ρ (the Fisher term does nothing), ≫ 1 a
     *                      normalized step; NaN when ρ = 0
     * @param effectiveStep η_t/(ρ + uᵀu), the rate on v (paper reading: on m̂); η_t/ρ for {@link Variant#NO_FISHER};
     *                      NaN for the element-wise and unregularized variants, which have none
     * @param gradientNorm  ‖g‖
     * @param stepCosine    cos(d, g); NaN for {@link Variant#DIAGONAL_FIM} (not a function of the sums) or a zero vector
     */
    public record Diagnostics(double fisherRatio, double effectiveStep, double gradientNorm, double stepCosine) {
        /** No step taken yet. */
        public static final Diagnostics NONE = new Diagnostics(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /** The {@link Diagnostics} of step t (1-based) at {@code epoch}, given the step's first-pass {@code sums}. */
    public Diagnostics diagnostics(long t, int epoch, double[] sums) {
        double lr = schedule.learningRate(learningRate, t, epoch);
        boolean moment = variant != Variant.NO_MOMENTUM;
        double mHat = moment ? 1 / (1 - Math.pow(beta, t)) : 0;
        double[] u = moment ? coefficients(reading.fisherVector(), mHat) : GRADIENT_ONLY;
        double uu = u[0] * u[0] * sums[GG] + 2 * u[0] * u[1] * sums[GM] + u[1] * u[1] * sums[MM];
        double ratio = rho > 0 ? uu / rho : Double.NaN;
        double effective = switch (variant) {
            case FULL, NO_MOMENTUM -> lr / (rho + uu);
            case NO_FISHER -> lr / rho;
            case NO_REGULARIZATION, DIAGONAL_FIM -> Double.NaN;
        };
        double cosine = Double.NaN;
        if (variant != Variant.DIAGONAL_FIM) {
            FusedStep.Linear step = (FusedStep.Linear) fused(t, 1, sums);
            double a = step.a(), b = step.b();
            double dd = a * a * sums[GG] + 2 * a * b * sums[GM] + b * b * sums[MM];
            double dg = a * sums[GG] + b * sums[GM];
            cosine = dd > 0 && sums[GG] > 0 ? dg / Math.sqrt(dd * sums[GG]) : Double.NaN;
        }
        return new Diagnostics(ratio, effective, Math.sqrt(sums[GG]), cosine);
    }

    /** A source as its coefficients {on g, on m_t}; m̂_t = m_t·{@code biasCorrection}. */
    private static double[] coefficients(Reading.Source source, double biasCorrection) {
        return switch (source) {
            case GRADIENT -> GRADIENT_ONLY;
            case MOMENT -> new double[] {0, 1};
            case BIAS_CORRECTED_MOMENT -> new double[] {0, biasCorrection};
        };
    }
}
