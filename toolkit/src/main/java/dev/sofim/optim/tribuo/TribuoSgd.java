package dev.sofim.optim.tribuo;

import com.oracle.labs.mlrg.olcut.config.Config;
import dev.sofim.optim.LearningRateSchedule;
import dev.sofim.optim.Sgd;

/**
 * The core {@link Sgd} rule (plain, heavy-ball or Nesterov momentum; the SOFIM paper's
 * SGD-with-momentum baseline, arXiv:2403.02833) as a Tribuo optimiser, on the same code path as
 * {@link TribuoSofim}. Equations and defaults: {@link Sgd}; conventions: {@link RuleOptimiser}.
 */
public final class TribuoSgd extends RuleOptimiser {

    @Config(description = "Learning rate eta > 0.")
    private double learningRate = Sgd.DEFAULT_LEARNING_RATE;

    @Config(description = "Momentum mu in [0, 1); 0 is plain SGD.")
    private double momentum = Sgd.DEFAULT_MOMENTUM;

    @Config(description = "Use Nesterov momentum (needs momentum > 0).")
    private boolean nesterov = false;

    @Config(description = "Decoupled weight decay lambda >= 0.")
    private double weightDecay = 0.0;

    /** For OLCUT. */
    private TribuoSgd() {
    }

    public TribuoSgd(Sgd rule, int minibatchSize) {
        if (!rule.schedule().equals(LearningRateSchedule.constant())) {
            throw new IllegalArgumentException("TribuoSgd: only a constant learning rate can be configured, got "
                    + rule.schedule());
        }
        this.learningRate = rule.learningRate();
        this.momentum = rule.momentum();
        this.nesterov = rule.nesterov();
        this.weightDecay = rule.weightDecay();
        this.minibatchSize = minibatchSize;
        postConfig();
    }

    public TribuoSgd(Sgd rule) {
        this(rule, 1);
    }

    @Override
    public Sgd rule() {
        return new Sgd(learningRate, momentum, nesterov, weightDecay, LearningRateSchedule.constant());
    }

    @Override
    public TribuoSgd copy() {
        return new TribuoSgd(rule(), minibatchSize);
    }
}
