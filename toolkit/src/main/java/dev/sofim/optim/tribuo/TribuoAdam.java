package dev.sofim.optim.tribuo;

import com.oracle.labs.mlrg.olcut.config.Config;
import dev.sofim.optim.Adam;
import dev.sofim.optim.LearningRateSchedule;

/**
 * The core {@link Adam} rule (AdamW when λ > 0) as a Tribuo optimiser: use it instead of Tribuo
 * 4.3.2's own {@code Adam}, which multiplies by √v̂ where it should divide. A SOFIM baseline
 * (arXiv:2403.02833). Equations and defaults: {@link Adam}; conventions: {@link RuleOptimiser}.
 */
public final class TribuoAdam extends RuleOptimiser {

    @Config(description = "Learning rate eta > 0.")
    private double learningRate = Adam.DEFAULT_LEARNING_RATE;

    @Config(description = "First-moment decay beta1 in [0, 1).")
    private double beta1 = Adam.DEFAULT_BETA1;

    @Config(description = "Second-moment decay beta2 in [0, 1).")
    private double beta2 = Adam.DEFAULT_BETA2;

    @Config(description = "Epsilon > 0 added to the square root of the second moment.")
    private double epsilon = Adam.DEFAULT_EPSILON;

    @Config(description = "Decoupled weight decay lambda >= 0.")
    private double weightDecay = 0.0;

    /** For OLCUT. */
    private TribuoAdam() {
    }

    public TribuoAdam(Adam rule, int minibatchSize) {
        if (!rule.schedule().equals(LearningRateSchedule.constant())) {
            throw new IllegalArgumentException("TribuoAdam: only a constant learning rate can be configured, got "
                    + rule.schedule());
        }
        this.learningRate = rule.learningRate();
        this.beta1 = rule.beta1();
        this.beta2 = rule.beta2();
        this.epsilon = rule.epsilon();
        this.weightDecay = rule.weightDecay();
        this.minibatchSize = minibatchSize;
        postConfig();
    }

    public TribuoAdam(Adam rule) {
        this(rule, 1);
    }

    @Override
    public Adam rule() {
        return new Adam(learningRate, beta1, beta2, epsilon, weightDecay, LearningRateSchedule.constant());
    }

    @Override
    public TribuoAdam copy() {
        return new TribuoAdam(rule(), minibatchSize);
    }
}
