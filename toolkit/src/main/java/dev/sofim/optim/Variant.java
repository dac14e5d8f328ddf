package dev.sofim.optim;

/**
 * The SOFIM ablations of the paper's study, as settings of the one {@link Sofim} rule.
 * Notation: g is the mini-batch gradient, m̂ the bias-corrected first moment, ρ the regularization.
 */
public enum Variant {
    /** F = g gᵀ + ρI applied to m̂: d = (m̂ − g (gᵀm̂)/(ρ + gᵀg)) / ρ. The paper's method. */
    FULL,
    /** F = g gᵀ + ρI applied to g (no first moment, no state): d = g / (ρ + gᵀg). */
    NO_MOMENTUM,
    /** F = g gᵀ (ρ = 0, singular), Moore–Penrose pseudo-inverse: d = g (gᵀm̂) / (gᵀg)²; d = 0 when g = 0. */
    NO_REGULARIZATION,
    /** F = diag(g ⊙ g) + ρI applied to m̂, element-wise: d = m̂ ⊘ (g ⊙ g + ρ). */
    DIAGONAL_FIM
}
