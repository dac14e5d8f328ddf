package dev.sofim.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Kaplan–Meier estimator of a survival function from right-censored times (E. L. Kaplan, P. Meier,
 * "Nonparametric estimation from incomplete observations", JASA 53, 1958): here "survival" is "has not reached the
 * target yet", a time is the budget spent when a run first met the target, and a run that never met it is censored at
 * the time it stopped (a study censors every such run at the budget, so it is not assumed to reach it later).
 * Ŝ(t) = ∏_{tⱼ ≤ t} (1 − dⱼ/nⱼ) over the distinct event times tⱼ, dⱼ events at tⱼ, nⱼ runs at risk just before.
 *
 * @param times    each run's time (event or censoring)
 * @param reached  whether each run met the target at its time (false: censored)
 */
public record KaplanMeier(double[] times, boolean[] reached) {
    public KaplanMeier {
        if (times.length != reached.length || times.length == 0) {
            throw new IllegalArgumentException("Kaplan–Meier needs as many times as flags and at least one run, got "
                    + times.length + " and " + reached.length);
        }
        for (double t : times) {
            if (!(t >= 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException("Kaplan–Meier times must be finite and >= 0, got " + t);
            }
        }
        times = times.clone();
        reached = reached.clone();
    }

    /** The distinct event times and Ŝ just after each: {@code [times, survival]}. */
    public double[][] steps() {
        int n = times.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(times[a], times[b]));
        List<double[]> out = new ArrayList<>();
        double s = 1;
        int atRisk = n;
        int i = 0;
        while (i < n) {
            double t = times[order[i]];
            int events = 0;
            int leaving = 0;
            while (i < n && times[order[i]] == t) {
                events += reached[order[i]] ? 1 : 0;
                leaving++;
                i++;
            }
            if (events > 0) {
                s *= 1 - events / (double) atRisk;
                out.add(new double[] {t, s});
            }
            atRisk -= leaving;
        }
        double[][] r = new double[2][out.size()];
        for (int k = 0; k < out.size(); k++) {
            r[0][k] = out.get(k)[0];
            r[1][k] = out.get(k)[1];
        }
        return r;
    }

    /** Ŝ(t). */
    public double survival(double t) {
        double[][] st = steps();
        double s = 1;
        for (int k = 0; k < st[0].length && st[0][k] <= t; k++) {
            s = st[1][k];
        }
        return s;
    }

    /** The median time: the smallest event time with Ŝ ≤ ½; +∞ when Ŝ stays above ½ (fewer than half reached). */
    public double median() {
        return quantile(0.5);
    }

    /** The smallest event time with Ŝ ≤ 1 − q; +∞ if none. */
    public double quantile(double q) {
        double[][] st = steps();
        for (int k = 0; k < st[0].length; k++) {
            if (st[1][k] <= 1 - q + 1e-12) {
                return st[0][k];
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** The restricted mean ∫₀^τ Ŝ(t) dt: the mean time to target when runs not there by τ count as τ. */
    public double restrictedMean(double tau) {
        double[][] st = steps();
        double area = 0;
        double s = 1;
        double from = 0;
        for (int k = 0; k < st[0].length && st[0][k] < tau; k++) {
            area += s * (st[0][k] - from);
            from = st[0][k];
            s = st[1][k];
        }
        return area + s * Math.max(0, tau - from);
    }

    /** A percentile bootstrap interval of the median over {@code resamples} resamples of the runs (seeded). */
    public Interval medianInterval(int resamples, long seed) {
        int n = times.length;
        return Bootstrap.percentile(resamples, seed, n, idx -> {
            double[] t = new double[n];
            boolean[] r = new boolean[n];
            for (int i = 0; i < n; i++) {
                t[i] = times[idx[i]];
                r[i] = reached[idx[i]];
            }
            return new KaplanMeier(t, r).median();
        });
    }

    /** The runs that reached the target. */
    public int events() {
        int k = 0;
        for (boolean r : reached) {
            k += r ? 1 : 0;
        }
        return k;
    }
}
