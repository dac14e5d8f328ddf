package dev.sofim.optim.dl4j;

import dev.sofim.optim.LearningRateSchedule;
import dev.sofim.optim.Sgd;

import java.util.Objects;

/**
 * The core {@link Sgd} rule (plain, heavy-ball or Nesterov momentum) as a DL4J
 * {@link org.nd4j.linalg.learning.config.IUpdater}: the SGD-with-momentum baseline of the SOFIM
 * paper (arXiv:2403.02833), with the same code path as {@link Dl4jSofim} so that timing
 * comparisons are fair. Equations and defaults: see {@link Sgd}. Weight decay: DL4J's
 * {@code WeightDecay(λ, true)} regularization.
 */
public class Dl4jSgd extends RuleUpdaterConfig {
    private static final long serialVersionUID = 1L;

    private double momentum;
    private boolean nesterov;

    /** Heavy-ball momentum with the defaults (for DL4J's JSON). */
    public Dl4jSgd() {
        this(Sgd.defaults());
    }

    public Dl4jSgd(Sgd rule) {
        super(rule.learningRate(), null);
        if (rule.weightDecay() != 0 || !rule.schedule().equals(LearningRateSchedule.constant())) {
            throw new IllegalArgumentException("Dl4jSgd: weight decay and schedules are DL4J's (WeightDecay, ISchedule) "
                    + "here; got " + rule);
        }
        this.momentum = rule.momentum();
        this.nesterov = rule.nesterov();
    }

    private Dl4jSgd(Dl4jSgd other) {
        super(other.learningRate, other.learningRateSchedule);
        this.momentum = other.momentum;
        this.nesterov = other.nesterov;
    }

    @Override
    public Sgd rule() {
        return new Sgd(learningRate, momentum, nesterov, 0, coreSchedule());
    }

    public double getMomentum() {
        return momentum;
    }

    public boolean isNesterov() {
        return nesterov;
    }

    @Override
    public Dl4jSgd clone() {
        return new Dl4jSgd(this);
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && Double.compare(momentum, ((Dl4jSgd) o).momentum) == 0
                && nesterov == ((Dl4jSgd) o).nesterov;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), momentum, nesterov);
    }
}
