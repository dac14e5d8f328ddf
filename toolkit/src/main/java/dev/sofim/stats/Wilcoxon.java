package dev.sofim.stats;

import java.util.Arrays;

/**
 * The Wilcoxon signed-rank test on paired samples (F. Wilcoxon, "Individual comparisons by ranking methods", Biometrics
 * Bulletin 1, 1945), two-sided, as SciPy's {@code scipy.stats.wilcoxon(x, y, zero_method="wilcox", correction=False)}:
 * differences dᵢ = xᵢ − yᵢ, zero differences dropped, |dᵢ| ranked (ties get their mean rank), W⁺ and W⁻ the rank sums
 * of the positive and negative differences, statistic T = min(W⁺, W⁻). p-value: exact (the null distribution of W⁺
 * by counting sign assignments) when no |dᵢ| is tied and at most {@value #EXACT_MAX} remain; else the normal
 * approximation with the tie correction, z = (T − n(n+1)/4)/√(n(n+1)(2n+1)/24 − Σ(t³ − t)/48), p = 2·Φ(−|z|).
 *
 * <p>Censored times: a run that never reached the target has time +∞; a difference with one infinite side is ±∞ and
 * ranks above every finite one (ties among them share the top ranks); two censored runs of a seed give a zero
 * difference (no information) and are dropped. This is the "censored runs ranked last" rule of the study protocol.
 *
 * @param n         pairs with a non-zero difference
 * @param wPlus     W⁺
 * @param wMinus    W⁻
 * @param statistic T = min(W⁺, W⁻)
 * @param pValue    two-sided p-value (1 when n = 0)
 * @param exact     whether the p-value is exact
 */
public record Wilcoxon(int n, double wPlus, double wMinus, double statistic, double pValue, boolean exact) {
    /** Pairs up to which the exact null distribution is used (SciPy's default too). */
    public static final int EXACT_MAX = 50;

    /** The test of x against y (paired by index). */
    public static Wilcoxon test(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("paired samples need the same length, got " + x.length + " and " + y.length);
        }
        double[] d = new double[x.length];
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            double di = difference(x[i], y[i]);
            if (di != 0) {
                d[n++] = di;
            }
        }
        d = Arrays.copyOf(d, n);
        if (n == 0) {
            return new Wilcoxon(0, 0, 0, 0, 1, true);
        }
        double[] abs = Arrays.stream(d).map(Math::abs).toArray();
        double[] ranks = Ranks.average(abs);
        double wPlus = 0, wMinus = 0;
        for (int i = 0; i < n; i++) {
            if (d[i] > 0) {
                wPlus += ranks[i];
            } else {
                wMinus += ranks[i];
            }
        }
        double t = Math.min(wPlus, wMinus);
        double ties = Ranks.tieTerm(abs);
        if (ties == 0 && n <= EXACT_MAX) {
            return new Wilcoxon(n, wPlus, wMinus, t, Math.min(1, 2 * exactCdf(n, (long) t)), true);
        }
        double mean = n * (n + 1) / 4.0;
        double var = n * (n + 1) * (2.0 * n + 1) / 24 - ties / 48;
        double z = (t - mean) / Math.sqrt(var);
        return new Wilcoxon(n, wPlus, wMinus, t, Math.min(1, 2 * Normal.sf(Math.abs(z))), false);
    }

    /** The smallest two-sided exact p-value of n untied pairs (all differences of one sign): 2/2ⁿ, at most 1. */
    public static double smallestP(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("pairs must be >= 0, got " + n);
        }
        return Math.min(1, 2 / Math.pow(2, n));
    }

    /** x − y with +∞ for a censored run; two censored runs differ by 0. */
    static double difference(double x, double y) {
        if (Double.isNaN(x) || Double.isNaN(y)) {
            throw new IllegalArgumentException("paired values must not be NaN, got " + x + " and " + y);
        }
        if (Double.isInfinite(x) && Double.isInfinite(y) && x == y) {
            return 0;
        }
        return x - y;
    }

    /** P(W⁺ ≤ w) under the null, n pairs with ranks 1..n: the count of subsets of the ranks with sum ≤ w over 2ⁿ. */
    static double exactCdf(int n, long w) {
        int max = n * (n + 1) / 2;
        double[] count = new double[max + 1];
        count[0] = 1;
        for (int r = 1; r <= n; r++) {
            for (int s = max; s >= r; s--) {
                count[s] += count[s - r];
            }
        }
        double below = 0;
        for (int s = 0; s <= Math.min(w, max); s++) {
            below += count[s];
        }
        return below / Math.pow(2, n);
    }
}
