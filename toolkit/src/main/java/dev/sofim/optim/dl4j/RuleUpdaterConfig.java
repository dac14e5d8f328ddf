package dev.sofim.optim.dl4j;

import dev.sofim.optim.LearningRateSchedule;
import dev.sofim.optim.UpdateRule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.Map;
import java.util.Objects;

/**
 * The DL4J/ND4J side of a core {@link UpdateRule}: an {@link IUpdater} config with plain fields (so
 * DL4J's JSON round-trips it) that builds the rule and a {@link RuleGradientUpdater} to run it.
 *
 * <p>DL4J subtracts what the updater returns, which is the core convention: no sign change here.
 * Weight decay is DL4J's job: add {@code new WeightDecay(λ, true)} to the layer or network
 * regularization, which adds η_t·λ·θ after the updater, the same decoupled form as the core.
 */
public abstract class RuleUpdaterConfig implements IUpdater {
    private static final long serialVersionUID = 1L;

    protected double learningRate;
    protected ISchedule learningRateSchedule;

    protected RuleUpdaterConfig(double learningRate, ISchedule learningRateSchedule) {
        this.learningRate = learningRate;
        this.learningRateSchedule = learningRateSchedule;
    }

    /** The DL4J config of a core rule (whose weight decay must be 0 and schedule constant). */
    public static RuleUpdaterConfig of(UpdateRule rule) {
        return switch (rule.kind()) {
            case SOFIM -> new Dl4jSofim((dev.sofim.optim.Sofim) rule);
            case SGD -> new Dl4jSgd((dev.sofim.optim.Sgd) rule);
            case ADAM -> new Dl4jAdam((dev.sofim.optim.Adam) rule);
            case ADAHESSIAN, LBFGS, NYSTROM_SGD -> throw new IllegalArgumentException(rule
                    + " needs gradients at other points: train with Dl4jOracleStep, not a DL4J updater");
        };
    }

    /** The core rule with this config's hyperparameters (validated there). */
    public abstract UpdateRule rule();

    /** The DL4J schedule seen from the core: the core's 1-based step t is DL4J's iteration t − 1. */
    protected LearningRateSchedule coreSchedule() {
        return learningRateSchedule == null ? LearningRateSchedule.constant() : new Dl4jSchedule(learningRateSchedule);
    }

    /** A DL4J {@link ISchedule} as a core schedule (it gives the rate itself, not a factor of the base). */
    public record Dl4jSchedule(ISchedule schedule) implements LearningRateSchedule {
        @Override
        public double learningRate(double base, long step, int epoch) {
            return schedule.valueAt((int) (step - 1), epoch);
        }
    }

    @Override
    public long stateSize(long numParams) {
        return rule().stateNames().size() * numParams;
    }

    @Override
    public GradientUpdater<RuleUpdaterConfig> instantiate(INDArray viewArray, boolean initializeViewArray) {
        RuleGradientUpdater u = new RuleGradientUpdater(this);
        u.setStateViewArray(viewArray, viewArray == null ? null : viewArray.shape(), 'c', initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater<RuleUpdaterConfig> instantiate(Map<String, INDArray> updaterState,
                                                          boolean initializeStateArrays) {
        UpdateRule rule = rule();
        RuleGradientUpdater u = new RuleGradientUpdater(this);
        if (!rule.stateNames().isEmpty()) {
            INDArray first = Objects.requireNonNull(updaterState.get(rule.stateNames().get(0)),
                    () -> "updater state lacks " + rule.stateNames().get(0) + "; has " + updaterState.keySet());
            INDArray view = Nd4j.create(first.dataType(), 1, rule.stateNames().size() * first.length());
            u.setStateViewArray(view, view.shape(), 'c', false);
        }
        u.setState(updaterState, initializeStateArrays);
        return u;
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule == null ? learningRate : learningRateSchedule.valueAt(iteration, epoch);
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        this.learningRate = lr;
        this.learningRateSchedule = lrSchedule;
    }

    public double getLearningRate() {
        return learningRate;
    }

    public ISchedule getLearningRateSchedule() {
        return learningRateSchedule;
    }

    @Override
    public abstract RuleUpdaterConfig clone();

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass()
                && Double.compare(((RuleUpdaterConfig) o).learningRate, learningRate) == 0
                && Objects.equals(((RuleUpdaterConfig) o).learningRateSchedule, learningRateSchedule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(getClass(), learningRate, learningRateSchedule);
    }

    /** The core rule's description plus the DL4J schedule, if any. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + rule() + (learningRateSchedule == null ? "" : ", learningRateSchedule="
                + learningRateSchedule) + "]";
    }
}
