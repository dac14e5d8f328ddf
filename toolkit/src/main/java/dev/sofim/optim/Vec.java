package dev.sofim.optim;

/**
 * A window onto a flat vector of numbers, read and written as doubles.
 *
 * <p>The optimizer math in this package is written once against this interface; adapters wrap
 * their own storage (a {@code double[]}, an ND4J buffer, a Tribuo tensor) without copying.
 */
public interface Vec {
    /** Number of elements. */
    int length();

    double get(int i);

    void set(int i, double value);

    /** Wraps a whole array. */
    static Vec of(double[] values) {
        return new ArrayVec(values, 0, values.length);
    }

    /** An empty vector, the state of a rule that keeps none. */
    static Vec empty() {
        return ArrayVec.EMPTY;
    }
}
