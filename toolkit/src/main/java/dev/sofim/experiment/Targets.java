package dev.sofim.experiment;

/**
 * Pre-specified objectives, as in the paper's tables; null = not tracked.
 *
 * @param trainLoss    train loss at or below
 * @param testLoss     test loss at or below
 * @param testAccuracy test accuracy at or above (a fraction, 0.98 = 98%)
 */
public record Targets(Double trainLoss, Double testLoss, Double testAccuracy) {
    public Targets {
        check("trainLoss", trainLoss, false);
        check("testLoss", testLoss, false);
        check("testAccuracy", testAccuracy, true);
    }

    private static void check(String name, Double v, boolean fraction) {
        if (v != null && !(Double.isFinite(v) && v > 0 && (!fraction || v <= 1))) {
            throw new IllegalArgumentException("target " + name + " must be " + (fraction ? "in (0, 1]" : "> 0")
                    + ", got " + v);
        }
    }
}
