package dev.sofim.experiment;

/** The per-epoch metrics that plots and targets refer to. */
public enum Metric {
    TRAIN_LOSS("train loss", false), TEST_LOSS("test loss", false), TEST_ACCURACY("test accuracy", true);

    private final String label;
    private final boolean higherIsBetter;

    Metric(String label, boolean higherIsBetter) {
        this.label = label;
        this.higherIsBetter = higherIsBetter;
    }

    public String label() {
        return label;
    }

    /** The label, with "test" read as "validation" when the held-out metrics come from the validation split. */
    public String label(ExperimentConfig.EvaluateOn heldOut) {
        return heldOut == ExperimentConfig.EvaluateOn.VALIDATION ? label.replace("test", "validation") : label;
    }

    /** True when the target is reached: accuracy at or above it, loss at or below it. */
    public boolean reached(double value, double target) {
        return higherIsBetter ? value >= target : value <= target;
    }

    /** The target for this metric in {@code targets}, or null. */
    public Double target(Targets targets) {
        return switch (this) {
            case TRAIN_LOSS -> targets.trainLoss();
            case TEST_LOSS -> targets.testLoss();
            case TEST_ACCURACY -> targets.testAccuracy();
        };
    }
}
