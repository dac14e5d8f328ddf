package dev.sofim.experiment;

/**
 * One finished epoch of one (optimizer, seed) run.
 *
 * @param optimizer        the optimizer's name in the config
 * @param seed             the run's seed
 * @param epoch            1-based epoch number
 * @param trainLoss        mean cross-entropy on the training set (full pass or running mean, per the config)
 * @param testLoss         mean cross-entropy on the test set
 * @param testAccuracy     fraction of test images classified correctly
 * @param seconds          cumulative training wall time up to the end of this epoch (evaluation excluded)
 * @param optimizerSeconds cumulative time spent in the updater and parameter step (for a Newton-type method, also
 *                         its extra gradient evaluations)
 * @param steps            cumulative optimizer steps (minibatches)
 * @param gradientEvaluations cumulative mini-batch gradient evaluations (one per step for a first-order method; an
 *                         exact Hessian–vector product counts two)
 */
public record EpochRecord(String optimizer, long seed, int epoch, double trainLoss, double testLoss,
                          double testAccuracy, double seconds, double optimizerSeconds, long steps,
                          long gradientEvaluations) {

    /** Gradient evaluations per optimizer step, so far (NaN before the first step). */
    public double evaluationsPerStep() {
        return steps > 0 ? (double) gradientEvaluations / steps : Double.NaN;
    }

    /** The share of training time spent in the optimizer (0 when nothing was timed). */
    public double optimizerShare() {
        return seconds > 0 ? optimizerSeconds / seconds : 0;
    }

    /** The value of a metric by its CSV name: train_loss, test_loss or test_accuracy. */
    public double metric(Metric m) {
        return switch (m) {
            case TRAIN_LOSS -> trainLoss;
            case TEST_LOSS -> testLoss;
            case TEST_ACCURACY -> testAccuracy;
        };
    }
}
