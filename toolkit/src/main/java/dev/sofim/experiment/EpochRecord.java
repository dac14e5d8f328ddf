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
 * @param optimizerSeconds cumulative time spent in the updater and parameter step
 */
public record EpochRecord(String optimizer, long seed, int epoch, double trainLoss, double testLoss,
                          double testAccuracy, double seconds, double optimizerSeconds) {

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
