package dev.sofim.optim;

import java.util.SplittableRandom;

/**
 * An optimizer rule that needs more than the mini-batch gradient at θ: the loss and gradient of the
 * same mini-batch at other parameter values, or Hessian–vector products, through a
 * {@link CountingOracle}. Implementations are immutable hyperparameter records validated in their
 * constructors: {@link AdaHessian}, {@link Lbfgs}, {@link NystromSgd}. Use {@link OracleOptimizer}, which
 * owns the state, the step counter and the evaluation count, rather than calling {@link #step} directly.
 *
 * <p>Sign convention: the rule moves θ itself (θ ← θ − step), because some rules (a line search)
 * decide the step from losses at trial points.
 */
public sealed interface OracleRule extends Rule permits AdaHessian, Lbfgs, NystromSgd {
    /** Length of the state array for n parameters. */
    int stateLength(int n);

    @Override
    OracleRule withLearningRate(double learningRate);

    /**
     * One step at 1-based step t. {@code grad} = ∇f(θ) and {@code loss} = f(θ) of the mini-batch, both
     * finite. Every oracle answer is checked before θ or the state is written: when a
     * {@link NonFiniteGradientException} comes out, both are as they were.
     *
     * @param random this step's random numbers (probe vectors, sampled columns), a function of the
     *               optimizer's seed and t only, so a resumed run draws the same ones
     */
    void step(double[] theta, double[] grad, double loss, CountingOracle oracle, double[] state, long t,
              ParameterLayout layout, SplittableRandom random);
}
