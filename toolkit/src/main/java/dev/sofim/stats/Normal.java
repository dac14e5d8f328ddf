package dev.sofim.stats;

/** The standard normal distribution: the survival function 1 − Φ(x) to about 1e-14 relative. */
public final class Normal {
    /** The two-sided 95% quantile, Φ⁻¹(0.975). */
    public static final double Z95 = 1.959963984540054;

    private Normal() {
    }

    /** P(Z > x). */
    public static double sf(double x) {
        return 0.5 * erfc(x / Math.sqrt(2));
    }

    /** P(Z ≤ x). */
    public static double cdf(double x) {
        return sf(-x);
    }

    /**
     * erfc by the Maclaurin series of erf for |x| < 2 (terms at most e⁴: about 14 digits kept) and by the continued
     * fraction erfc(x) = e^{−x²}/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …)))) (modified Lentz) for |x| ≥ 2.
     */
    static double erfc(double x) {
        if (x < 0) {
            return 2 - erfc(-x);
        }
        if (x < 2) {
            double term = x;
            double sum = x;
            double x2 = x * x;
            for (int n = 1; n < 200; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            return 1 - 2 / Math.sqrt(Math.PI) * sum;
        }
        if (x > 27) {
            return 0;
        }
        // continued fraction K = x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))), erfc = e^{-x²}/(√π K)
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int k = 1; k < 500; k++) {
            double a = k / 2.0;
            d = x + a * d;
            d = d == 0 ? tiny : d;
            c = x + a / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
    }
}
