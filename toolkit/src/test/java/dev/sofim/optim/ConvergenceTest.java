package dev.sofim.optim;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every optimizer and variant minimizes an ill-conditioned quadratic (condition number 100, start
 * gap 140) and a regularized logistic regression (start gap 0.48) to a stated tolerance in 2,000
 * full-batch steps. The settings are per entry: SOFIM needs ρ of the order of ‖g‖² (up to 10⁴ on
 * the quadratic, whose gradients are large); with ρ ≪ ‖g‖² the rank-one F removes the step along
 * g and amplifies the rest by 1/ρ, and it diverges there. NO_REGULARIZATION's step has length
 * η/‖g‖, which grows as g shrinks: it only gets near the minimum with a decaying learning rate,
 * and its tolerances are correspondingly loose (the ablation's point).
 */
class ConvergenceTest {
    private static final int STEPS = 2000;

    static Stream<Arguments> table() {
        Problems.Problem quad = Problems.quadratic(20, 100);
        Problems.Problem logit = Problems.logistic(400, 10);
        Sofim sofim = Sofim.defaults();
        return Stream.of(
                Arguments.of("quadratic", quad, sofim.withRho(1e4).withLearningRate(100), 1e-8),
                Arguments.of("quadratic", quad, sofim.withScope(Scope.PER_LAYER).withRho(1e4).withLearningRate(100), 1e-8),
                Arguments.of("quadratic", quad, Sofim.of(Variant.NO_MOMENTUM).withRho(100).withLearningRate(1), 1e-8),
                Arguments.of("quadratic", quad, Sofim.of(Variant.DIAGONAL_FIM).withRho(100).withLearningRate(1), 1e-8),
                Arguments.of("quadratic", quad, Sofim.of(Variant.NO_REGULARIZATION).withRho(0).withLearningRate(0.3)
                        .withSchedule(LearningRateSchedule.cosine(STEPS, 0)), 1.0),
                Arguments.of("quadratic", quad, Sgd.plain(0.01), 1e-8),
                Arguments.of("quadratic", quad, Sgd.momentum(0.01, 0.9), 1e-8),
                Arguments.of("quadratic", quad, Sgd.nesterov(0.01, 0.9), 1e-8),
                Arguments.of("quadratic", quad, Adam.defaults().withLearningRate(0.1), 1e-8),
                Arguments.of("logistic", logit, sofim.withRho(1).withLearningRate(1), 1e-8),
                Arguments.of("logistic", logit, sofim.withScope(Scope.PER_LAYER).withRho(1).withLearningRate(1), 1e-8),
                Arguments.of("logistic", logit, Sofim.of(Variant.NO_MOMENTUM).withRho(1).withLearningRate(1), 1e-8),
                Arguments.of("logistic", logit, Sofim.of(Variant.DIAGONAL_FIM).withRho(1).withLearningRate(1), 1e-8),
                Arguments.of("logistic", logit, Sofim.of(Variant.NO_REGULARIZATION).withRho(0).withLearningRate(1)
                        .withSchedule(LearningRateSchedule.cosine(STEPS, 1e-3)), 1e-2),
                Arguments.of("logistic", logit, Sgd.plain(1), 1e-8),
                Arguments.of("logistic", logit, Sgd.momentum(0.1, 0.9), 1e-8),
                Arguments.of("logistic", logit, Sgd.nesterov(0.1, 0.9), 1e-8),
                Arguments.of("logistic", logit, Adam.defaults().withLearningRate(0.1), 1e-8));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("table")
    void reachesTolerance(String problem, Problems.Problem p, UpdateRule rule, double tolerance) {
        int n = p.dimension();
        double[] theta = p.start();
        double[] g = new double[n];
        CoreOptimizer opt = new CoreOptimizer(rule, 0, n / 2, n);
        double start = p.lossAndGradient(theta, g) - p.minimum();
        for (int s = 0; s < STEPS; s++) {
            p.lossAndGradient(theta, g);
            opt.step(theta, g);
        }
        double gap = p.lossAndGradient(theta, g) - p.minimum();
        assertTrue(gap < tolerance, problem + ": loss gap " + gap + " (start " + start + ") not below " + tolerance);
    }
}
