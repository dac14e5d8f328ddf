package dev.sofim.optim.tribuo;

import com.oracle.labs.mlrg.olcut.config.Config;
import dev.sofim.optim.LearningRateSchedule;
import dev.sofim.optim.Reading;
import dev.sofim.optim.Scope;
import dev.sofim.optim.Sofim;
import dev.sofim.optim.Variant;

/**
 * SOFIM as a Tribuo {@link org.tribuo.math.StochasticGradientOptimiser}, for
 * {@code LinearSGDTrainer} and Tribuo's other SGD trainers.
 *
 * <p>M. Sen et al., "SOFIM: Stochastic Optimization Using Regularized Fisher Information Matrix",
 * arXiv:2403.02833. Equations, readings, defaults and differences from the paper: the core rule
 * {@link Sofim} (d = F⁻¹v with F = u uᵀ + ρI, θ ← θ − η·(d + λθ); by default the paper reading,
 * u = v = m̂, d = m̂ / (ρ + ‖m̂‖²)). Tribuo's sign, weight and minibatch
 * conventions: {@link RuleOptimiser}. Every hyperparameter is a {@code @Config} field, so it is in
 * the model's provenance. The learning rate is constant here (Tribuo configs carry no schedule).
 */
public final class TribuoSofim extends RuleOptimiser {

    @Config(description = "Learning rate eta > 0.")
    private double learningRate = Sofim.DEFAULT_LEARNING_RATE;

    @Config(description = "First-moment decay beta in [0, 1).")
    private double beta = Sofim.DEFAULT_BETA;

    @Config(description = "FIM regularization rho > 0 (not used by NO_REGULARIZATION).")
    private double rho = Sofim.DEFAULT_RHO;

    /** A name rather than the enum, so that an unknown reading gets {@link Reading#parse}'s message with the valid names. */
    @Config(description = "What F = u u^T + rho I is built from and applied to: PAPER (u = v = bias-corrected first moment), "
            + "GRADIENT (u = minibatch gradient, v = bias-corrected moment) or PRECONDITIONED_GRADIENT (u = moment, v = gradient).")
    private String reading = Sofim.DEFAULT_READING.name();

    @Config(description = "The SOFIM variant: FULL, NO_MOMENTUM, NO_REGULARIZATION, DIAGONAL_FIM or NO_FISHER.")
    private Variant variant = Variant.FULL;

    @Config(description = "FIM scope: GLOBAL, or one block per parameter tensor (PER_LAYER, PER_TENSOR).")
    private Scope scope = Scope.GLOBAL;

    @Config(description = "Decoupled weight decay lambda >= 0.")
    private double weightDecay = 0.0;

    /** For OLCUT. */
    private TribuoSofim() {
    }

    /** The given rule; its schedule must be constant. */
    public TribuoSofim(Sofim rule, int minibatchSize) {
        if (!rule.schedule().equals(LearningRateSchedule.constant())) {
            throw new IllegalArgumentException("TribuoSofim: only a constant learning rate can be configured, got "
                    + rule.schedule());
        }
        this.learningRate = rule.learningRate();
        this.beta = rule.beta();
        this.rho = rule.rho();
        this.reading = rule.reading().name();
        this.variant = rule.variant();
        this.scope = rule.scope();
        this.weightDecay = rule.weightDecay();
        this.minibatchSize = minibatchSize;
        postConfig();
    }

    public TribuoSofim(Sofim rule) {
        this(rule, 1);
    }

    @Override
    public Sofim rule() {
        return new Sofim(learningRate, beta, rho, Reading.parse(reading), variant, scope, weightDecay, LearningRateSchedule.constant());
    }

    @Override
    public TribuoSofim copy() {
        return new TribuoSofim(rule(), minibatchSize);
    }
}
