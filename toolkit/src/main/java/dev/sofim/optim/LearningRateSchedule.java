package dev.sofim.optim;

/**
 * The learning-rate schedule hook: the learning rate η_t used at 1-based step t of epoch e,
 * given the rule's base rate. Implement it for a custom schedule; the built-ins below are records
 * (so their {@code equals} and {@code toString} show their settings).
 */
@FunctionalInterface
public interface LearningRateSchedule {
    double learningRate(double base, long step, int epoch);

    /** η_t = η. */
    static LearningRateSchedule constant() {
        return Constant.INSTANCE;
    }

    /** η_t = η · factor^⌊epoch / everyEpochs⌋ (epochs counted from 0). */
    static LearningRateSchedule stepDecay(double factor, int everyEpochs) {
        return new StepDecay(factor, everyEpochs);
    }

    /** Cosine annealing from η to η·minFactor over totalSteps, then held at η·minFactor. */
    static LearningRateSchedule cosine(long totalSteps, double minFactor) {
        return new Cosine(totalSteps, minFactor);
    }

    /** The constant schedule. */
    record Constant() implements LearningRateSchedule {
        static final Constant INSTANCE = new Constant();

        @Override
        public double learningRate(double base, long step, int epoch) {
            return base;
        }
    }

    /** Multiplies the rate by {@code factor} every {@code everyEpochs} epochs. */
    record StepDecay(double factor, int everyEpochs) implements LearningRateSchedule {
        public StepDecay {
            Hyper.positive("StepDecay", "factor", factor);
            if (everyEpochs < 1) {
                throw Hyper.bad("StepDecay", "everyEpochs", everyEpochs, "an integer >= 1");
            }
        }

        @Override
        public double learningRate(double base, long step, int epoch) {
            return base * Math.pow(factor, Math.floorDiv(Math.max(epoch, 0), everyEpochs));
        }
    }

    /** Cosine annealing over steps. */
    record Cosine(long totalSteps, double minFactor) implements LearningRateSchedule {
        public Cosine {
            if (totalSteps < 1) {
                throw Hyper.bad("Cosine", "totalSteps", totalSteps, "an integer >= 1");
            }
            Hyper.unitInterval("Cosine", "minFactor", minFactor);
        }

        @Override
        public double learningRate(double base, long step, int epoch) {
            double progress = Math.min(1.0, (step - 1) / (double) totalSteps);
            double factor = minFactor + (1 - minFactor) * 0.5 * (1 + Math.cos(Math.PI * progress));
            return base * factor;
        }
    }
}
