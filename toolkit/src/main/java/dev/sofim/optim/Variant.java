package dev.sofim.optim;

/**
 * The SOFIM ablations of the paper's study, as settings of the one {@link Sofim} rule. Each keeps the
 * {@link Reading}'s u (the Fisher vector) and v (what F⁻¹ is applied to); g is the mini-batch
 * gradient, ρ the regularization. For the paper reading u = v = m̂.
 *
 * <p>{@link #NO_FISHER} is beyond the paper's ablations: the Fisher-free control of the toolkit's study (F = ρI).
 */
public enum Variant {
    /** F = u uᵀ + ρI applied to v: d = (v − u (uᵀv)/(ρ + uᵀu)) / ρ. The method itself; paper reading: m̂ / (ρ + ‖m̂‖²). */
    FULL,
    /** F = g gᵀ + ρI applied to g (no first moment, no state; every reading alike): d = g / (ρ + gᵀg). */
    NO_MOMENTUM,
    /** F = u uᵀ (ρ = 0, singular), Moore–Penrose pseudo-inverse: d = u (uᵀv) / (uᵀu)²; d = 0 when u = 0. Paper reading: m̂ / ‖m̂‖². */
    NO_REGULARIZATION,
    /** F = diag(u ⊙ u) + ρI applied to v, element-wise: d = v ⊘ (u ⊙ u + ρ). Paper reading: m̂ ⊘ (m̂ ⊙ m̂ + ρ). */
    DIAGONAL_FIM,
    /**
     * F = ρI (no Fisher term at all) applied to v: d = v / ρ. The control that isolates what the Fisher term adds: with
     * the paper reading d = m̂/ρ, bias-corrected EMA momentum at step η/ρ (heavy-ball SGD with μ = β and a rate
     * η(1 − β)/(ρ(1 − β^t))); with {@link Reading#PRECONDITIONED_GRADIENT} plain SGD at η/ρ. Same state as {@link #FULL}.
     */
    NO_FISHER
}
