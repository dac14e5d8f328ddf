package dev.sofim.stats;

import java.util.Locale;

/** A two-sided interval [lower, upper]; an end may be infinite (a censored time never reached). */
public record Interval(double lower, double upper) {
    public Interval {
        if (Double.isNaN(lower) || Double.isNaN(upper) || lower > upper) {
            throw new IllegalArgumentException("interval [" + lower + ", " + upper + "] must have lower <= upper");
        }
    }

    /** {@code [lo, hi]} with the given format for each finite end and ∞ for an infinite one. */
    public String format(String pattern) {
        return "[" + end(pattern, lower) + ", " + end(pattern, upper) + "]";
    }

    static String end(String pattern, double v) {
        return Double.isInfinite(v) ? (v > 0 ? "∞" : "−∞") : String.format(Locale.ROOT, pattern, v);
    }
}
