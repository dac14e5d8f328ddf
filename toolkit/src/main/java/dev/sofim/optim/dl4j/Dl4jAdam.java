package dev.sofim.optim.dl4j;

import dev.sofim.optim.Adam;
import dev.sofim.optim.LearningRateSchedule;

import java.util.Objects;

/**
 * The core {@link Adam} rule as a DL4J {@link org.nd4j.linalg.learning.config.IUpdater}: a
 * baseline for SOFIM (arXiv:2403.02833) on the same code path as {@link Dl4jSofim}. Equations and
 * defaults: see {@link Adam}. Weight decay (AdamW): DL4J's {@code WeightDecay(λ, true)}.
 */
public class Dl4jAdam extends RuleUpdaterConfig {
    private static final long serialVersionUID = 1L;

    private double beta1;
    private double beta2;
    private double epsilon;

    /** The defaults (for DL4J's JSON). */
    public Dl4jAdam() {
        this(Adam.defaults());
    }

    public Dl4jAdam(Adam rule) {
        super(rule.learningRate(), null);
        if (rule.weightDecay() != 0 || !rule.schedule().equals(LearningRateSchedule.constant())) {
            throw new IllegalArgumentException("Dl4jAdam: weight decay and schedules are DL4J's (WeightDecay, ISchedule) "
                    + "here; got " + rule);
        }
        this.beta1 = rule.beta1();
        this.beta2 = rule.beta2();
        this.epsilon = rule.epsilon();
    }

    private Dl4jAdam(Dl4jAdam other) {
        super(other.learningRate, other.learningRateSchedule);
        this.beta1 = other.beta1;
        this.beta2 = other.beta2;
        this.epsilon = other.epsilon;
    }

    @Override
    public Adam rule() {
        return new Adam(learningRate, beta1, beta2, epsilon, 0, coreSchedule());
    }

    @Override
    public Dl4jAdam clone() {
        return new Dl4jAdam(this);
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && Double.compare(beta1, ((Dl4jAdam) o).beta1) == 0
                && Double.compare(beta2, ((Dl4jAdam) o).beta2) == 0
                && Double.compare(epsilon, ((Dl4jAdam) o).epsilon) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), beta1, beta2, epsilon);
    }
}
