package dev.sofim.optim.dl4j;

import dev.sofim.optim.LearningRateSchedule;
import dev.sofim.optim.Reading;
import dev.sofim.optim.Scope;
import dev.sofim.optim.Sofim;
import dev.sofim.optim.Variant;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.Objects;

/**
 * SOFIM as a DL4J/ND4J {@link org.nd4j.linalg.learning.config.IUpdater}, for
 * {@code MultiLayerNetwork}, {@code ComputationGraph} and SameDiff's {@code TrainingConfig}.
 *
 * <p>M. Sen et al., "SOFIM: Stochastic Optimization Using Regularized Fisher Information Matrix",
 * arXiv:2403.02833. The update equations, readings, defaults and differences from the paper are those
 * of the core rule {@link Sofim}: d = F⁻¹v with F = u uᵀ + ρI, θ ← θ − η·d; with the default
 * {@link Reading#PAPER} u = v = m̂ (Adam's bias-corrected first moment) and d = m̂ / (ρ + ‖m̂‖²).
 * Defaults: {@link Sofim#DEFAULT_LEARNING_RATE}, {@link Sofim#DEFAULT_BETA}, {@link Sofim#DEFAULT_RHO},
 * {@link Sofim#DEFAULT_READING}.
 *
 * <p>JSON: every setting is a field, so DL4J's configuration JSON round-trips it. JSON written before
 * readings existed has no {@code reading} field; it meant {@link Sofim#LEGACY_READING}, and is read so.
 *
 * <p>Scope in DL4J. A DL4J {@code GradientUpdater} sees one flat block: all consecutive parameters
 * whose updater configs are {@code equals()}. So the FIM's extent is DL4J's block grouping, and
 * {@link Dl4jScopes} makes that grouping what {@link #getScope()} asks for: with {@link Scope#GLOBAL}
 * every layer keeps this same config (one block: the paper's global F); {@link Scope#PER_LAYER}
 * and {@link Scope#PER_TENSOR} give layers (and biases) distinct {@link #getBlock() block tags},
 * which split the grouping. {@link Dl4jScopes#network} applies and then verifies it. SameDiff calls
 * one updater per variable, so there the scope is per tensor; {@link Dl4jScopes#checkSameDiff}
 * rejects GLOBAL for a graph with more than one trainable variable.
 *
 * <p>Weight decay: use DL4J's {@code WeightDecay(λ, true)} regularization (decoupled, η_t·λ·θ).
 */
public class Dl4jSofim extends RuleUpdaterConfig {
    private static final long serialVersionUID = 1L;

    private double beta;
    private double rho;
    private Reading reading;
    private Variant variant;
    private Scope scope;
    /** A tag that only serves to make configs unequal, so DL4J starts a new block. "" = shared. */
    private String block;

    /** For DL4J's JSON only: fields absent from the JSON keep these values (see {@link Sofim#LEGACY_READING}). */
    private Dl4jSofim() {
        this(Sofim.defaults().withReading(Sofim.LEGACY_READING));
    }

    /** The core defaults: {@link Sofim#defaults()}. */
    public static Dl4jSofim defaults() {
        return new Dl4jSofim(Sofim.defaults());
    }

    /** From a core rule; its weight decay must be 0 (use DL4J's WeightDecay regularization). */
    public Dl4jSofim(Sofim rule) {
        super(rule.learningRate(), null);
        if (rule.weightDecay() != 0) {
            throw new IllegalArgumentException("Dl4jSofim: weightDecay=" + rule.weightDecay()
                    + " is not applied by the updater in DL4J; use .regularization(new WeightDecay(λ, true))");
        }
        if (!rule.schedule().equals(LearningRateSchedule.constant())) {
            throw new IllegalArgumentException("Dl4jSofim: schedule " + rule.schedule()
                    + " cannot be stored in DL4J's config; use setLrAndSchedule with a DL4J ISchedule");
        }
        this.beta = rule.beta();
        this.rho = rule.rho();
        this.reading = rule.reading();
        this.variant = rule.variant();
        this.scope = rule.scope();
        this.block = "";
    }

    public Dl4jSofim(double learningRate, double beta, double rho, Reading reading, Variant variant, Scope scope) {
        this(new Sofim(learningRate, beta, rho, reading, variant, scope, 0, LearningRateSchedule.constant()));
    }

    private Dl4jSofim(Dl4jSofim other) {
        super(other.learningRate, other.learningRateSchedule);
        this.beta = other.beta;
        this.rho = other.rho;
        this.reading = other.reading;
        this.variant = other.variant;
        this.scope = other.scope;
        this.block = other.block;
    }

    @Override
    public Sofim rule() {
        return new Sofim(learningRate, beta, rho, reading, variant, scope, 0, coreSchedule());
    }

    public double getBeta() {
        return beta;
    }

    public double getRho() {
        return rho;
    }

    public Reading getReading() {
        return reading;
    }

    public Variant getVariant() {
        return variant;
    }

    public Scope getScope() {
        return scope;
    }

    public String getBlock() {
        return block;
    }

    /** A copy with the given block tag (used by {@link Dl4jScopes}). */
    public Dl4jSofim withBlock(String tag) {
        Dl4jSofim c = clone();
        c.block = Objects.requireNonNull(tag, "block");
        return c;
    }

    /** A copy with a DL4J learning-rate schedule. */
    public Dl4jSofim withSchedule(ISchedule schedule) {
        Dl4jSofim c = clone();
        c.learningRateSchedule = schedule;
        return c;
    }

    @Override
    public Dl4jSofim clone() {
        return new Dl4jSofim(this);
    }

    @Override
    public boolean equals(Object o) {
        if (!super.equals(o)) {
            return false;
        }
        Dl4jSofim that = (Dl4jSofim) o;
        return Double.compare(beta, that.beta) == 0 && Double.compare(rho, that.rho) == 0
                && reading == that.reading && variant == that.variant
                && scope == that.scope && Objects.equals(block, that.block);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), beta, rho, reading, variant, scope, block);
    }

    @Override
    public String toString() {
        String s = super.toString();
        return block.isEmpty() ? s : s.substring(0, s.length() - 1) + ", block=" + block + "]";
    }
}
