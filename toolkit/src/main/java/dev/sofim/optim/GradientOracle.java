package dev.sofim.optim;

/**
 * The loss of the current mini-batch as a function of the parameters, for optimizers that need more
 * than one gradient per step ({@link OracleRule}). An adapter implements it on a model and a
 * mini-batch; the optimizer calls it through {@link CountingOracle}, which counts the calls and
 * forms Hessian–vector products by finite differences when the adapter has no exact one.
 *
 * <p>Contract: {@link #gradient} evaluates the same mini-batch (and the same dropout masks, if any)
 * at whatever θ it is given and leaves the model's state as it found it (parameters, batch-norm
 * running statistics, random-number generator, iteration counter, listeners' scores).
 */
public interface GradientOracle {
    /** Unit roundoff of IEEE single precision, 2⁻²⁴. */
    double FLOAT_ROUNDOFF = 0x1p-24;
    /** Unit roundoff of IEEE double precision, 2⁻⁵³. */
    double DOUBLE_ROUNDOFF = 0x1p-53;

    /** Number of parameters n. */
    int dimension();

    /**
     * Writes ∇f(θ) of the mini-batch into {@code grad} and returns f(θ). θ is not modified. Entries may
     * be non-finite; the caller checks.
     */
    double gradient(double[] theta, double[] grad);

    /**
     * Unit roundoff u of the arithmetic the gradient is computed in ({@link #FLOAT_ROUNDOFF} for a
     * float32 network, {@link #DOUBLE_ROUNDOFF} for double); it sets the finite-difference step.
     */
    double unitRoundoff();

    /**
     * Rounds θ in place to the values the model can hold (for a float32 network, to the nearest
     * float), so that a step s = θ' − θ is the displacement the model really sees. The default keeps θ.
     */
    default void round(double[] theta) {
    }

    /** Whether {@link #exactHessianVectorProduct} is available. */
    default boolean hasExactHessianVectorProduct() {
        return false;
    }

    /** Writes H(θ)·v of the mini-batch into {@code out}; only when {@link #hasExactHessianVectorProduct()}. */
    default void exactHessianVectorProduct(double[] theta, double[] v, double[] out) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no exact Hessian-vector product");
    }

    /**
     * The same function without its exact Hessian–vector product, so that {@link CountingOracle} forms products
     * by central differences (to compare them with the exact ones, or to see what they cost).
     */
    static GradientOracle withoutExactProduct(GradientOracle oracle) {
        return new GradientOracle() {
            @Override
            public int dimension() {
                return oracle.dimension();
            }

            @Override
            public double gradient(double[] theta, double[] grad) {
                return oracle.gradient(theta, grad);
            }

            @Override
            public double unitRoundoff() {
                return oracle.unitRoundoff();
            }

            @Override
            public void round(double[] theta) {
                oracle.round(theta);
            }
        };
    }
}
