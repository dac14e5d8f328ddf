package dev.sofim.optim;

/**
 * Thrown when a gradient handed to an optimizer holds NaN or infinite entries (or its squared
 * norm overflows). It is thrown before anything is written: the parameters and the optimizer
 * state are exactly as they were before the call.
 */
public final class NonFiniteGradientException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    /** The gradient handed to the optimizer. */
    public static final String GRADIENT = "gradient";
    /** A Hessian–vector product asked of a {@link GradientOracle}. */
    public static final String HESSIAN_VECTOR_PRODUCT = "Hessian-vector product";
    /** A gradient a {@link GradientOracle} returned at another parameter value. */
    public static final String ORACLE_GRADIENT = "gradient at a trial point";

    private final long step;
    private final int badEntries;
    private final int length;
    private final String quantity;

    public NonFiniteGradientException(long step, int badEntries, int length) {
        this(GRADIENT, step, badEntries, length);
    }

    /**
     * @param quantity what was non-finite: {@link #GRADIENT}, {@link #HESSIAN_VECTOR_PRODUCT} or
     *                 {@link #ORACLE_GRADIENT}
     */
    public NonFiniteGradientException(String quantity, long step, int badEntries, int length) {
        super(message(quantity, step, badEntries, length));
        this.step = step;
        this.badEntries = badEntries;
        this.length = length;
        this.quantity = quantity;
    }

    private static String message(String quantity, long step, int badEntries, int length) {
        String what = badEntries > 0
                ? badEntries + " of " + length + " " + quantity + " entries are NaN or infinite"
                : "the " + quantity + "'s squared norm overflows (all " + length + " entries are finite but huge)";
        return "Non-finite " + quantity + " at step " + step + ": " + what
                + "; parameters and optimizer state were left unchanged."
                + " Lower the learning rate, clip gradients, or check the loss for log(0).";
    }

    /** Counts the NaN or infinite entries of {@code g} and builds the exception. */
    static NonFiniteGradientException of(Vec g, long step) {
        int bad = 0;
        for (int i = 0; i < g.length(); i++) {
            if (!Double.isFinite(g.get(i))) {
                bad++;
            }
        }
        return new NonFiniteGradientException(step, bad, g.length());
    }

    /** Counts the NaN or infinite entries of {@code v} and builds the exception. */
    static NonFiniteGradientException of(String quantity, double[] v, long step) {
        int bad = 0;
        for (double x : v) {
            if (!Double.isFinite(x)) {
                bad++;
            }
        }
        return new NonFiniteGradientException(quantity, step, bad, v.length);
    }

    /** What was non-finite: {@link #GRADIENT}, {@link #HESSIAN_VECTOR_PRODUCT} or {@link #ORACLE_GRADIENT}. */
    public String quantity() {
        return quantity;
    }

    /** The 1-based step at which the gradient was rejected. */
    public long step() {
        return step;
    }

    /** How many entries were NaN or infinite. */
    public int badEntries() {
        return badEntries;
    }

    /** The gradient's length. */
    public int length() {
        return length;
    }
}
