package dev.sofim.optim;

/**
 * What one {@link UpdateRule} step does to each element, once the block sums of pass 1 are known: the element
 * program the step engines run ({@link UpdateStep} on {@link Vec}s, {@link FloatStep} on FLOAT storage). A rule derives
 * it from its hyperparameters in one place ({@link UpdateRule#fused}); the engines only evaluate it, in this exact
 * order of operations, so that every engine computes the same numbers from the same inputs.
 *
 * <p>The first state slot, when there is one, is a moment m' = pm·m + qm·g.
 */
public sealed interface FusedStep {

    /**
     * A step linear in g and m': SOFIM (full, without regularization, without momentum), SGD and Nesterov momentum.
     * Which terms it has is its {@link Form}; a factor of 1 is exact, so each rule keeps its own rounding.
     */
    record Linear(Form form, double pm, double qm, double a, double b, double c) implements FusedStep {
        /** The terms of a linear step. */
        public enum Form {
            /** s = c·(a·g); no state. */
            G,
            /** s = c·(b·m'). */
            M,
            /** s = c·(a·g + b·m'). */
            GM
        }

        /** Whether the step keeps the moment m (the first state slot). */
        public boolean moment() {
            return form != Form.G;
        }
    }

    /** m' = pm·m + qm·g, u = ug·g + um·m', s = lr·(vg·g + vm·m') / (u·u + ρ): SOFIM's diagonal-Fisher ablation. */
    record Diagonal(double pm, double qm, double ug, double um, double vg, double vm, double rho, double lr)
            implements FusedStep {
    }

    /**
     * Adam: m' = β₁·m + (1 − β₁)·g, v' = β₂·v + ((1 − β₂)·g)·g, s = (lr·(m'/bc₁)) / (√(v'/bc₂) + ε), with
     * bc = 1 − βᵗ.
     */
    record AdamStep(double beta1, double beta2, double lr, double bc1, double bc2, double epsilon) implements FusedStep {
    }

    /**
     * What pass 1 sums: always gᵀg; with a moment also gᵀm' and m'ᵀm', with m' = pm·m + qm·g computed on the fly
     * (nothing is written).
     */
    record Sums(boolean moment, double pm, double qm) {
        public static final Sums GRADIENT = new Sums(false, 0, 0);
    }
}
