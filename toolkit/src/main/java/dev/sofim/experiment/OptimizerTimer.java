package dev.sofim.experiment;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Times what happens between DL4J's gradient calculation and the end of the iteration: the updater
 * (gradient normalization, regularization, the optimizer rule) and the parameter step. It also
 * keeps the last minibatch loss.
 */
final class OptimizerTimer extends BaseTrainingListener {
    private long started = -1;
    private long nanos;
    private double lastLoss = Double.NaN;

    @Override
    public void onGradientCalculation(Model model) {
        started = System.nanoTime();
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (started >= 0) {
            nanos += System.nanoTime() - started;
            started = -1;
        }
        lastLoss = model.score();
    }

    double seconds() {
        return nanos / 1e9;
    }

    double lastLoss() {
        return lastLoss;
    }
}
