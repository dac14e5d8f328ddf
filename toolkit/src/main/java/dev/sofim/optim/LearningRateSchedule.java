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

    /**
     * Linear warm-up from η/warmupSteps to η over the first {@code warmupSteps} steps, then cosine decay to
     * η·minFactor at step {@code totalSteps}, then held there (the study's second schedule family; its lengths are
     * fractions of a budget, {@link #warmupCosine(long, double, double)}).
     */
    static LearningRateSchedule warmupCosine(long warmupSteps, long totalSteps, double minFactor) {
        return new WarmupCosine(warmupSteps, totalSteps, minFactor);
    }

    /** {@link WarmupCosine} with the warm-up a fraction of {@code totalSteps} (rounded, at least 1 step when > 0). */
    static LearningRateSchedule warmupCosine(long totalSteps, double warmupFraction, double minFactor) {
        if (!(warmupFraction >= 0 && warmupFraction < 1)) {
            throw Hyper.bad("WarmupCosine", "warmupFraction", warmupFraction, "a number in [0, 1)");
        }
        long w = warmupFraction == 0 ? 0 : Math.max(1, Math.round(warmupFraction * totalSteps));
        return new WarmupCosine(w, totalSteps, minFactor);
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

    /**
     * η_t = η·t/w for t ≤ w (linear warm-up); then η·(f + (1 − f)·½(1 + cos(π·min(1, (t − w)/(T − w))))) with
     * f = minFactor, T = totalSteps (cosine decay over the rest of the budget).
     */
    record WarmupCosine(long warmupSteps, long totalSteps, double minFactor) implements LearningRateSchedule {
        public WarmupCosine {
            if (totalSteps < 1) {
                throw Hyper.bad("WarmupCosine", "totalSteps", totalSteps, "an integer >= 1");
            }
            if (warmupSteps < 0 || warmupSteps >= totalSteps) {
                throw Hyper.bad("WarmupCosine", "warmupSteps", warmupSteps, "an integer in [0, totalSteps = " + totalSteps + ")");
            }
            Hyper.unitInterval("WarmupCosine", "minFactor", minFactor);
        }

        @Override
        public double learningRate(double base, long step, int epoch) {
            if (step <= warmupSteps) {
                return base * step / warmupSteps;
            }
            double progress = Math.min(1.0, (step - warmupSteps) / (double) (totalSteps - warmupSteps));
            return base * (minFactor + (1 - minFactor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
        }
    }
}
