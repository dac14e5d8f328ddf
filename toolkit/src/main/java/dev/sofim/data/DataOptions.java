package dev.sofim.data;

/**
 * How a benchmark is prepared for an experiment.
 *
 * @param trainSize      training images to use (0 = all), taken from a seeded shuffle of the training set
 * @param validationSize images held out of the training set for validation (0 = none); fixed by the seed
 * @param testSize       test images to use (0 = all): the first ones, in the official order
 * @param shuffleSeed    seed of the subset/validation shuffle
 * @param normalization  pixel scaling
 */
public record DataOptions(int trainSize, int validationSize, int testSize, long shuffleSeed,
                          Normalization normalization) {

    /** Pixels in [0, 1], or standardized per channel with the training subset's mean and std. */
    public enum Normalization { UNIT, STANDARDIZE }

    public DataOptions {
        if (trainSize < 0 || validationSize < 0 || testSize < 0) {
            throw new IllegalArgumentException("dataset sizes must be >= 0 (0 = all), got trainSize=" + trainSize
                    + ", validationSize=" + validationSize + ", testSize=" + testSize);
        }
        if (normalization == null) {
            throw new IllegalArgumentException("normalization must be UNIT or STANDARDIZE, got null");
        }
    }

    public static DataOptions full() {
        return new DataOptions(0, 0, 0, 0, Normalization.UNIT);
    }
}
