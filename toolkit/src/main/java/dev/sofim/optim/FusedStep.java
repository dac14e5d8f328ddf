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

    /** State slots the step reads and writes (slot k of element i at k·n + i). */
    int stateSlots();

    /**
     * Evaluates the step on the first {@code len} elements of {@code g} (replaced by the step), {@code m} (the first
     * state slot) and {@code v} (the second; arrays of slots the step lacks may be null), in double precision: the
     * reference the Vector API kernels match bit for bit. Separate arrays and plain loops, so HotSpot vectorizes them.
     */
    void apply(double[] g, double[] m, double[] v, int len);

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

        @Override
        public int stateSlots() {
            return moment() ? 1 : 0;
        }

        @Override
        public void apply(double[] g, double[] m, double[] v, int len) {
            switch (form) {
                case G -> {
                    for (int i = 0; i < len; i++) {
                        g[i] = c * (a * g[i]);
                    }
                }
                case M -> {
                    for (int i = 0; i < len; i++) {
                        double mi = pm * m[i] + qm * g[i];
                        m[i] = mi;
                        g[i] = c * (b * mi);
                    }
                }
                case GM -> {
                    for (int i = 0; i < len; i++) {
                        double gi = g[i];
                        double mi = pm * m[i] + qm * gi;
                        m[i] = mi;
                        g[i] = c * (a * gi + b * mi);
                    }
                }
            }
        }
    }

    /** m' = pm·m + qm·g, u = ug·g + um·m', s = lr·(vg·g + vm·m') / (u·u + ρ): SOFIM's diagonal-Fisher ablation. */
    record Diagonal(double pm, double qm, double ug, double um, double vg, double vm, double rho, double lr)
            implements FusedStep {
        @Override
        public int stateSlots() {
            return 1;
        }

        @Override
        public void apply(double[] g, double[] m, double[] v, int len) {
            for (int i = 0; i < len; i++) {
                double gi = g[i];
                double mi = pm * m[i] + qm * gi;
                m[i] = mi;
                double ui = ug * gi + um * mi;
                g[i] = lr * (vg * gi + vm * mi) / (ui * ui + rho);
            }
        }
    }

    /**
     * Adam: m' = β₁·m + (1 − β₁)·g, v' = β₂·v + ((1 − β₂)·g)·g, s = (lr·(m'/bc₁)) / (√(v'/bc₂) + ε), with
     * bc = 1 − βᵗ.
     */
    record AdamStep(double beta1, double beta2, double lr, double bc1, double bc2, double epsilon) implements FusedStep {
        @Override
        public int stateSlots() {
            return 2;
        }

        @Override
        public void apply(double[] g, double[] m, double[] v, int len) {
            for (int i = 0; i < len; i++) {
                double gi = g[i];
                double mi = beta1 * m[i] + (1 - beta1) * gi;
                double vi = beta2 * v[i] + (1 - beta2) * gi * gi;
                m[i] = mi;
                v[i] = vi;
                g[i] = lr * (mi / bc1) / (Math.sqrt(vi / bc2) + epsilon);
            }
        }
    }

    /**
     * What pass 1 sums: always gᵀg; with a moment also gᵀm' and m'ᵀm', with m' = pm·m + qm·g computed on the fly
     * (nothing is written).
     */
    record Sums(boolean moment, double pm, double qm) {
        public static final Sums GRADIENT = new Sums(false, 0, 0);
    }
}
