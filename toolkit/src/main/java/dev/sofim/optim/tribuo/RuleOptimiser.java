package dev.sofim.optim.tribuo;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import dev.sofim.optim.UpdateRule;
import dev.sofim.optim.UpdateStep;
import dev.sofim.optim.Vec;
import org.tribuo.math.Parameters;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.la.Tensor;

/**
 * Runs a core {@link UpdateRule} as a Tribuo {@link StochasticGradientOptimiser}.
 *
 * <p>Conventions translated here:
 * <ul>
 *   <li>Tribuo hands the <em>negative</em> gradient u = −∇ℓ and <em>adds</em> the returned tensors;
 *       the core takes g and returns s for θ ← θ − s. So g = −u·w and the result is −s.</li>
 *   <li>{@code weight} is the example weight (for a minibatch, the mean weight): the gradient of
 *       the weighted loss is w·∇ℓ.</li>
 *   <li>Tribuo 4.3's {@code AbstractSGDTrainer} sums a minibatch's gradients and then multiplies
 *       by the minibatch size B. Set {@link #minibatchSize} to the trainer's B and the rule sees
 *       the minibatch mean, g = −w·u / B². The last, short minibatch of an epoch (k &lt; B
 *       examples) is then seen as (k/B)·mean: a Tribuo quirk this adapter cannot undo.</li>
 *   <li>Tribuo does not tell optimisers the epoch: schedules see epoch 0 and the step count.</li>
 * </ul>
 * Each Tribuo tensor is one block for the per-layer and per-tensor scopes.
 */
public abstract class RuleOptimiser implements StochasticGradientOptimiser {

    @Config(description = "The minibatch size the trainer uses; used to undo Tribuo's scaling of minibatch gradients.")
    protected int minibatchSize = 1;

    private transient UpdateRule rule;
    private transient Parameters parameters;
    private transient int[] bounds;
    private transient double[] state;
    private transient double[] flat;
    private transient double[] theta;
    private transient long steps;

    /**
     * The Tribuo optimiser of a core rule (with a constant learning rate).
     *
     * @param minibatchSize the trainer's minibatch size (see the class comment)
     */
    public static RuleOptimiser of(UpdateRule rule, int minibatchSize) {
        return switch (rule.kind()) {
            case SOFIM -> new TribuoSofim((dev.sofim.optim.Sofim) rule, minibatchSize);
            case SGD -> new TribuoSgd((dev.sofim.optim.Sgd) rule, minibatchSize);
            case ADAM -> new TribuoAdam((dev.sofim.optim.Adam) rule, minibatchSize);
            case ADAHESSIAN, LBFGS, NYSTROM_SGD -> throw new IllegalArgumentException(rule
                    + " needs gradients at other points, which Tribuo's optimiser interface does not give");
        };
    }

    /** The core rule with this optimiser's configured hyperparameters. */
    public abstract UpdateRule rule();

    @Override
    public void postConfig() {
        if (minibatchSize < 1) {
            throw new PropertyException("", "minibatchSize", "minibatchSize must be an integer >= 1, got " + minibatchSize);
        }
        try {
            rule();
        } catch (IllegalArgumentException e) {
            throw new PropertyException(e, "", "", e.getMessage());
        }
    }

    @Override
    public void initialise(Parameters parameters) {
        this.rule = rule();
        this.parameters = parameters;
        this.bounds = FlatTensors.bounds(parameters.get());
        int n = bounds[bounds.length - 1];
        this.state = new double[rule.stateNames().size() * n];
        this.flat = new double[n];
        this.theta = rule.weightDecay() > 0 ? new double[n] : null;
        this.steps = 0;
    }

    @Override
    public Tensor[] step(Tensor[] updates, double weight) {
        if (parameters == null) {
            throw new IllegalStateException(this + " was not initialised with the model's parameters");
        }
        FlatTensors.read(updates, parameters.getEmptyCopy(), -weight / ((double) minibatchSize * minibatchSize), flat);
        Vec params = null;
        if (theta != null) {
            FlatTensors.read(parameters.get(), null, 1.0, theta);
            params = Vec.of(theta);
        }
        UpdateStep.compute(rule, Vec.of(flat), Vec.of(state), params, steps + 1, 0, bounds);
        steps++;
        Tensor[] out = parameters.getEmptyCopy();
        FlatTensors.write(flat, -1.0, out);
        return out;
    }

    @Override
    public void reset() {
        rule = null;
        parameters = null;
        bounds = null;
        state = null;
        flat = null;
        theta = null;
        steps = 0;
    }

    /** Steps taken since {@link #initialise}. */
    public long steps() {
        return steps;
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "StochasticGradientOptimiser");
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + rule() + ", minibatchSize=" + minibatchSize + "]";
    }
}
