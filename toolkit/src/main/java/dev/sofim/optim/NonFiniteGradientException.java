package dev.sofim.optim;

/**
 * Thrown when a gradient handed to an optimizer holds NaN or infinite entries (or its squared
 * norm overflows). It is thrown before anything is written: the parameters and the optimizer
 * state are exactly as they were before the call.
 */
public final class NonFiniteGradientException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    private final long step;
    private final int badEntries;
    private final int length;

    public NonFiniteGradientException(long step, int badEntries, int length) {
        super(message(step, badEntries, length));
        this.step = step;
        this.badEntries = badEntries;
        this.length = length;
    }

    private static String message(long step, int badEntries, int length) {
        String what = badEntries > 0
                ? badEntries + " of " + length + " gradient entries are NaN or infinite"
                : "the gradient's squared norm overflows (all " + length + " entries are finite but huge)";
        return "Non-finite gradient at step " + step + ": " + what
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
