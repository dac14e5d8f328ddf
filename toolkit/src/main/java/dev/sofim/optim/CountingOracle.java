package dev.sofim.optim;

/**
 * A {@link GradientOracle} as an {@link OracleRule} sees it during one step: it counts gradient
 * evaluations, rejects non-finite answers and forms Hessian–vector products.
 *
 * <p>Hessian–vector products: exact when the oracle has them (counted as
 * {@link #EXACT_HVP_COST} gradient evaluations, the cost of Pearlmutter's R-operator), else central
 * differences of gradients in double precision,
 * <pre>
 *   H·v ≈ ( ∇f(θ + εv) − ∇f(θ − εv) ) / (2ε),    ε = u^{1/3} · (1 + ‖θ‖₂) / ‖v‖₂
 * </pre>
 * (two gradient evaluations). u is the oracle's unit roundoff: u^{1/3} balances the O(ε²) truncation
 * error against the O(u/ε) rounding error of the gradients (Nocedal and Wright, §8.1); the norms make the
 * displacement εv a fixed fraction u^{1/3} of ‖θ‖ (or of 1 near θ = 0), whatever the scale of θ and v. For
 * a float32 network u^{1/3} ≈ 2.5e-3, for double ≈ 6.1e-6. Tolerance: on softmax regression in double
 * the product matches the closed-form Hessian to 1e-7 relative ({@code OracleRulesTest}, and through a
 * DL4J double-precision network in {@code Dl4jOracleStepTest}).
 * The displaced points are rounded by {@link GradientOracle#round} and the actual displacement is
 * used in the quotient.
 */
public final class CountingOracle {
    /** Gradient evaluations an exact Hessian–vector product is counted as. */
    public static final int EXACT_HVP_COST = 2;

    private final GradientOracle oracle;
    private final long step;
    private long evaluations;

    /**
     * @param oracle the mini-batch's oracle
     * @param step   the 1-based step, for error messages
     */
    public CountingOracle(GradientOracle oracle, long step) {
        this.oracle = Hyper.present("CountingOracle", "oracle", oracle);
        this.step = step;
    }

    public int dimension() {
        return oracle.dimension();
    }

    /**
     * ∇f(θ) into {@code grad}, returning f(θ) (possibly non-finite: a line search may want to know);
     * throws {@link NonFiniteGradientException} if the gradient has non-finite entries.
     */
    public double gradient(double[] theta, double[] grad) {
        double loss = oracle.gradient(theta, grad);
        evaluations++;
        requireFinite(NonFiniteGradientException.ORACLE_GRADIENT, grad);
        return loss;
    }

    /** Like {@link #gradient} but returns NaN instead of throwing when the gradient is not finite. */
    public double tryGradient(double[] theta, double[] grad) {
        double loss = oracle.gradient(theta, grad);
        evaluations++;
        for (double x : grad) {
            if (!Double.isFinite(x)) {
                return Double.NaN;
            }
        }
        return loss;
    }

    /** H(θ)·v into {@code out} (exact or by central differences, see the class comment). */
    public void hessianVectorProduct(double[] theta, double[] v, double[] out) {
        if (oracle.hasExactHessianVectorProduct()) {
            oracle.exactHessianVectorProduct(theta, v, out);
            evaluations += EXACT_HVP_COST;
        } else {
            finiteDifference(theta, v, out);
        }
        requireFinite(NonFiniteGradientException.HESSIAN_VECTOR_PRODUCT, out);
    }

    private void finiteDifference(double[] theta, double[] v, double[] out) {
        int n = theta.length;
        double eps = finiteDifferenceStep(theta, v, oracle.unitRoundoff());
        double[] plus = new double[n], minus = new double[n], g = new double[n];
        for (int i = 0; i < n; i++) {
            plus[i] = theta[i] + eps * v[i];
            minus[i] = theta[i] - eps * v[i];
        }
        oracle.round(plus);
        oracle.round(minus);
        oracle.gradient(plus, out);
        oracle.gradient(minus, g);
        evaluations += 2;
        // The realized displacement along v: (θ₊ − θ₋)·v / (v·v), which is 2ε up to rounding of θ±εv.
        double num = 0, den = 0;
        for (int i = 0; i < n; i++) {
            num += (plus[i] - minus[i]) * v[i];
            den += v[i] * v[i];
        }
        double twoEps = den > 0 ? num / den : 2 * eps;
        for (int i = 0; i < n; i++) {
            out[i] = (out[i] - g[i]) / twoEps;
        }
    }

    /** The finite-difference step ε = u^{1/3}·(1 + ‖θ‖₂)/‖v‖₂ (see the class comment). */
    public static double finiteDifferenceStep(double[] theta, double[] v, double unitRoundoff) {
        double tt = 0, vv = 0;
        for (int i = 0; i < theta.length; i++) {
            tt += theta[i] * theta[i];
            vv += v[i] * v[i];
        }
        if (!(vv > 0 && Double.isFinite(vv))) {
            throw new IllegalArgumentException("Hessian-vector product needs a finite non-zero vector, got ‖v‖² = " + vv);
        }
        return Math.cbrt(unitRoundoff) * (1 + Math.sqrt(tt)) / Math.sqrt(vv);
    }

    /** Gradient evaluations so far (an exact Hessian–vector product counts {@link #EXACT_HVP_COST}). */
    public long evaluations() {
        return evaluations;
    }

    /** Rounds θ to what the model can hold. */
    public void round(double[] theta) {
        oracle.round(theta);
    }

    public long step() {
        return step;
    }

    private void requireFinite(String quantity, double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                throw NonFiniteGradientException.of(quantity, v, step);
            }
        }
    }
}
