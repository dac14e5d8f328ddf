package dev.sofim.stats;

/**
 * The Wilson score interval for a binomial proportion (E. B. Wilson, "Probable inference, the law of succession, and
 * statistical inference", JASA 22, 1927): for k successes in n trials and z the normal quantile,
 * (p̂ + z²/2n ± z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n), p̂ = k/n. Unlike p̂ ± z·se it stays in [0, 1] and is not empty at
 * k = 0 or k = n.
 */
public final class Wilson {
    private Wilson() {
    }

    /** The 95% interval. */
    public static Interval interval(int successes, int trials) {
        return interval(successes, trials, Normal.Z95);
    }

    public static Interval interval(int successes, int trials, double z) {
        if (trials < 1 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("Wilson interval needs 0 <= successes <= trials and trials >= 1, got "
                    + successes + " of " + trials);
        }
        double n = trials;
        double p = successes / n;
        double z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
        return new Interval(Math.max(0, centre - half), Math.min(1, centre + half));
    }
}
