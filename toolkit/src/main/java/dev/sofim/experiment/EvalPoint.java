package dev.sofim.experiment;

import dev.sofim.optim.Sofim;

import java.util.Locale;

/**
 * One evaluation point of one (optimizer, seed) run: the metrics at the parameters after {@code step} steps (step 0:
 * the initial weights), and for SOFIM the regime of that step.
 *
 * @param optimizer           the optimizer's name in the config
 * @param seed                the run's seed
 * @param step                optimizer steps taken (cumulative)
 * @param epoch               the 1-based epoch the step belongs to (0 at step 0)
 * @param gradientEvaluations mini-batch gradient evaluations so far
 * @param trainLoss           mean cross-entropy on the fixed training subset ({@code trainEvalSize} images)
 * @param testLoss            mean cross-entropy on the held-out set (test set, or validation split when tuning)
 * @param testAccuracy        accuracy on the held-out set
 * @param diagnostics         SOFIM's regime at this step ({@link Sofim.Diagnostics#NONE} for other rules and step 0)
 * @param seconds             training seconds so far (evaluation excluded; wall clock, varies)
 * @param evalSeconds         seconds this point's evaluation took (wall clock, varies)
 */
public record EvalPoint(String optimizer, long seed, long step, int epoch, long gradientEvaluations, double trainLoss,
                        double testLoss, double testAccuracy, Sofim.Diagnostics diagnostics, double seconds,
                        double evalSeconds) {
    static final String HEADER = "optimizer,seed,step,epoch,gradient_evaluations,train_loss,test_loss,test_accuracy,"
            + "fisher_ratio,effective_step,gradient_norm,step_cosine";
    static final String TIMING_HEADER = "optimizer,seed,step,seconds,eval_seconds";

    /** The value of a metric at this point. */
    public double metric(Metric m) {
        return switch (m) {
            case TRAIN_LOSS -> trainLoss;
            case TEST_LOSS -> testLoss;
            case TEST_ACCURACY -> testAccuracy;
        };
    }

    /** This point with its wall-clock fields from the timing file. */
    EvalPoint withTiming(double trainingSeconds, double evaluationSeconds) {
        return new EvalPoint(optimizer, seed, step, epoch, gradientEvaluations, trainLoss, testLoss, testAccuracy,
                diagnostics, trainingSeconds, evaluationSeconds);
    }

    /** The deterministic row of {@code evals.csv}. */
    String row() {
        Sofim.Diagnostics d = diagnostics;
        return optimizer + "," + seed + "," + step + "," + epoch + "," + gradientEvaluations + "," + trainLoss + ","
                + testLoss + "," + testAccuracy + "," + d.fisherRatio() + "," + d.effectiveStep() + "," + d.gradientNorm()
                + "," + d.stepCosine();
    }

    /** The wall-clock row of {@code eval-timing.csv}. */
    String timingRow() {
        return String.format(Locale.ROOT, "%s,%d,%d,%.6f,%.6f", optimizer, seed, step, seconds, evalSeconds);
    }

    /** A row of {@code evals.csv} (timing 0 until joined with {@code eval-timing.csv}). */
    static EvalPoint parse(String[] f) {
        return new EvalPoint(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3]), Long.parseLong(f[4]),
                Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]),
                new Sofim.Diagnostics(Double.parseDouble(f[8]), Double.parseDouble(f[9]), Double.parseDouble(f[10]),
                        Double.parseDouble(f[11])), 0, 0);
    }
}
