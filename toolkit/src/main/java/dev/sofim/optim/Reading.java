package dev.sofim.optim;

/**
 * Which vectors build SOFIM's regularized Fisher matrix F = u uᵀ + ρI and which vector F⁻¹ is
 * applied to (d = F⁻¹ v): a setting of the one {@link Sofim} rule, orthogonal to the ablation
 * {@link Variant}, the {@link Scope}, weight decay and the schedule.
 *
 * <p>Evidence (revision 2 of the project's SOFIM spec): the public code of DP-FedSOFIM, a follow-up
 * by one of SOFIM's authors (GitHub repository {@code sid0nair/DP-FedSOFIM}, {@code train.py}, class
 * {@code DPFedGDServerSOFIM}), says it implements "Algorithm 1 from SOFIM paper" with
 * F_t = m̂_t m̂_tᵀ + ρI applied to m̂_t; reviews of the paper describe the regularized FIM as the outer
 * product of the expected gradient, which m̂ estimates. The paper's own text was not available to
 * this project, so this is the best reading, not a certainty: the other two are kept for comparison.
 *
 * <p>For every reading (Sherman–Morrison): d = (v − u·(uᵀv)/(ρ + uᵀu)) / ρ. The ablations replace
 * F as {@link Variant} says, with the same u and v; {@link Variant#NO_MOMENTUM} has no moment, so
 * u = v = g there and all readings coincide.
 */
public enum Reading {
    /** u = v = m̂ (bias-corrected first moment): d = m̂ / (ρ + ‖m̂‖²). SOFIM's Algorithm 1. The default. */
    PAPER(Source.BIAS_CORRECTED_MOMENT, Source.BIAS_CORRECTED_MOMENT),
    /** u = g (mini-batch gradient), v = m̂: d = (m̂ − g (gᵀm̂)/(ρ + ‖g‖²)) / ρ. This project's revision 1. */
    GRADIENT(Source.GRADIENT, Source.BIAS_CORRECTED_MOMENT),
    /** u = m (first moment, not bias-corrected), v = g: d = (g − m (mᵀg)/(ρ + ‖m‖²)) / ρ. The DP-FedSOFIM paper text (v3). */
    PRECONDITIONED_GRADIENT(Source.MOMENT, Source.GRADIENT);

    /** A vector the rule can build F from or apply F⁻¹ to. */
    public enum Source {
        /** g_t, the mini-batch gradient. */
        GRADIENT,
        /** m_t = β·m_{t−1} + (1 − β)·g_t. */
        MOMENT,
        /** m̂_t = m_t / (1 − β^t). */
        BIAS_CORRECTED_MOMENT
    }

    private final Source fisher;
    private final Source applied;

    Reading(Source fisher, Source applied) {
        this.fisher = fisher;
        this.applied = applied;
    }

    /** u, the vector of the rank-one Fisher estimate u uᵀ. */
    public Source fisherVector() {
        return fisher;
    }

    /** v, the vector F⁻¹ is applied to. */
    public Source appliedTo() {
        return applied;
    }

    /** The reading named {@code name} (case-insensitive, '-' for '_'), or an error naming the value and the valid names. */
    public static Reading parse(String name) {
        String key = name == null ? "" : name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (Reading r : values()) {
            if (r.name().equals(key)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown SOFIM reading '" + name + "'; expected one of "
                + java.util.Arrays.toString(values()));
    }
}
