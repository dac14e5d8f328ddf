package dev.sofim.stats;

import java.util.Arrays;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Percentile bootstrap intervals (B. Efron, R. Tibshirani, "An Introduction to the Bootstrap", 1993, ch. 13), seeded:
 * {@code java.util.Random}'s generator is specified by the Java language, so the same seed gives the same interval on
 * every machine. A statistic may be +∞ (a censored time): it sorts last.
 */
public final class Bootstrap {
    /** Resamples of the study reports. */
    public static final int RESAMPLES = 2000;

    private Bootstrap() {
    }

    /**
     * The 95% percentile interval of {@code statistic} over {@code resamples} resamples of {@code n} indices drawn with
     * replacement: the ⌊0.025·B⌋-th and ⌈0.975·B⌉-th order statistics (1-based).
     */
    public static Interval percentile(int resamples, long seed, int n, ToDoubleFunction<int[]> statistic) {
        if (resamples < 1 || n < 1) {
            throw new IllegalArgumentException("bootstrap needs resamples >= 1 and n >= 1, got " + resamples + ", " + n);
        }
        Random rng = new Random(seed);
        double[] values = new double[resamples];
        int[] idx = new int[n];
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < n; i++) {
                idx[i] = rng.nextInt(n);
            }
            values[b] = statistic.applyAsDouble(idx);
        }
        Arrays.sort(values);
        int lo = Math.max(0, (int) Math.floor(0.025 * resamples) - 1);
        int hi = Math.min(resamples - 1, (int) Math.ceil(0.975 * resamples) - 1);
        return new Interval(values[lo], values[hi]);
    }

    /**
     * The median of values (±∞ allowed: censored times); for an even count the mean of the two middle ones, with the
     * mean of −∞ and +∞ taken as 0 (as many runs censored on each side).
     */
    public static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        if (n == 0) {
            throw new IllegalArgumentException("the median of no values");
        }
        if (n % 2 == 1) {
            return v[n / 2];
        }
        double a = v[n / 2 - 1], b = v[n / 2];
        return a == Double.NEGATIVE_INFINITY && b == Double.POSITIVE_INFINITY ? 0 : (a + b) / 2;
    }
}
