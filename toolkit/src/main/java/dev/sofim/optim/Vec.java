package dev.sofim.optim;

/**
 * A window onto a flat vector of numbers, read and written as doubles.
 *
 * <p>The optimizer math in this package is written once against this interface; adapters wrap
 * their own storage (a {@code double[]}, an ND4J buffer, a Tribuo tensor) without copying.
 * {@link UpdateStep} moves chunks between a {@code Vec} and {@code double[]} scratch arrays with
 * {@link #read} and {@link #write}; storage with a fast bulk copy overrides them.
 */
public interface Vec {
    /** Number of elements. */
    int length();

    double get(int i);

    void set(int i, double value);

    /** Copies elements {@code [from, from + count)} into {@code dst[dstOffset, dstOffset + count)}. */
    default void read(int from, double[] dst, int dstOffset, int count) {
        for (int j = 0; j < count; j++) {
            dst[dstOffset + j] = get(from + j);
        }
    }

    /** Copies {@code src[srcOffset, srcOffset + count)} into elements {@code [from, from + count)}. */
    default void write(int from, double[] src, int srcOffset, int count) {
        for (int j = 0; j < count; j++) {
            set(from + j, src[srcOffset + j]);
        }
    }

    /** Wraps a whole array. */
    static Vec of(double[] values) {
        return new ArrayVec(values, 0, values.length);
    }

    /** An empty vector, the state of a rule that keeps none. */
    static Vec empty() {
        return ArrayVec.EMPTY;
    }
}
