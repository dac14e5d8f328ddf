package dev.sofim.optim;

import java.util.Arrays;

/**
 * How a flat parameter vector is cut into tensors, as far as an optimizer needs to know: segments
 * [starts[i], starts[i+1]) whose consecutive groups of {@code kernelSizes[i]} entries are the spatial
 * positions of one convolution kernel (1 for every other tensor). AdaHessian averages its Hessian
 * diagonal over these groups.
 */
public final class ParameterLayout {
    private final int[] starts;
    private final int[] kernelSizes;

    /**
     * @param starts      segment boundaries {@code [0, e₁, …, n]}, strictly rising
     * @param kernelSizes per segment, the spatial size of a kernel (≥ 1, dividing the segment's length)
     */
    public ParameterLayout(int[] starts, int[] kernelSizes) {
        if (starts.length < 2 || starts[0] != 0 || kernelSizes.length != starts.length - 1) {
            throw new IllegalArgumentException("layout needs boundaries [0, ..., n] and one kernel size per segment, got "
                    + Arrays.toString(starts) + " and " + Arrays.toString(kernelSizes));
        }
        for (int i = 0; i < kernelSizes.length; i++) {
            int len = starts[i + 1] - starts[i];
            if (len <= 0 || kernelSizes[i] < 1 || len % kernelSizes[i] != 0) {
                throw new IllegalArgumentException("layout segment " + i + " [" + starts[i] + ", " + starts[i + 1]
                        + ") cannot hold kernels of size " + kernelSizes[i]);
            }
        }
        this.starts = starts.clone();
        this.kernelSizes = kernelSizes.clone();
    }

    /** One segment of n plain (non-convolution) parameters. */
    public static ParameterLayout flat(int n) {
        return new ParameterLayout(new int[] {0, n}, new int[] {1});
    }

    public int dimension() {
        return starts[starts.length - 1];
    }

    public int segments() {
        return kernelSizes.length;
    }

    public int start(int segment) {
        return starts[segment];
    }

    public int end(int segment) {
        return starts[segment + 1];
    }

    public int kernelSize(int segment) {
        return kernelSizes[segment];
    }

    @Override
    public String toString() {
        return "ParameterLayout[starts=" + Arrays.toString(starts) + ", kernelSizes=" + Arrays.toString(kernelSizes) + "]";
    }
}
