package dev.sofim.optim;

/**
 * An optimizer's rule, as an immutable record of its hyperparameters. Two kinds, told apart by an
 * exhaustive switch:
 * <ul>
 *   <li>{@link UpdateRule}: first-order, gradient in, step out ({@link Sofim}, {@link Sgd}, {@link Adam}); it runs
 *       inside DL4J's and Tribuo's own training loops through the adapters;</li>
 *   <li>{@link OracleRule}: may ask a {@link GradientOracle} for the mini-batch loss and gradient at other
 *       parameter values and for Hessian–vector products ({@link AdaHessian}, {@link Lbfgs},
 *       {@link NystromSgd}); it runs in a training step the caller owns ({@link OracleOptimizer}).</li>
 * </ul>
 */
public sealed interface Rule permits UpdateRule, OracleRule {
    /**
     * Which rule this is. Code that treats rules differently switches over it: a switch expression over an enum
     * must cover every constant, so a new optimizer cannot be silently missed by the adapters or configs.
     */
    enum Kind { SOFIM, SGD, ADAM, ADAHESSIAN, LBFGS, NYSTROM_SGD }

    /** This rule's kind (each record returns its own constant). */
    Kind kind();

    /** The base learning rate η. */
    double learningRate();

    /** This rule with another base learning rate. */
    Rule withLearningRate(double learningRate);

    /** Optimizer state, in numbers per parameter (the memory a user pays for the curvature model). */
    double statePerParameter();

    /**
     * Mini-batch gradient evaluations a step costs on average, Hessian–vector products by central differences
     * counted as two (line-search backtracks, which depend on the run, not counted): 1 for a first-order rule.
     */
    default double evaluationsPerStep() {
        return 1;
    }
}
