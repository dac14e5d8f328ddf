package dev.sofim.optim;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every optimizer, SOFIM reading and variant minimizes an ill-conditioned quadratic (condition number 100, start
 * gap 140) and a regularized logistic regression (start gap 0.48) to a stated tolerance in 2,000
 * full-batch steps. The settings are per entry: SOFIM needs ρ of the order of ‖g‖² (up to 10⁴ on
 * the quadratic, whose gradients are large); with ρ ≪ ‖g‖² the rank-one F removes the step along
 * g and amplifies the rest by 1/ρ, and it diverges there. NO_REGULARIZATION's step has length
 * η/‖m̂‖ (paper reading), which grows as the gradient shrinks: it only gets near the minimum with a
 * decaying learning rate, and its tolerances are correspondingly loose (the ablation's point).
 */
class ConvergenceTest {
    private static final int STEPS = 2000;

    static Stream<Arguments> table() {
        Problems.Problem quad = Problems.quadratic(20, 100);
        Problems.Problem logit = Problems.logistic(400, 10);
        List<Arguments> rows = new ArrayList<>();
        for (Reading r : Reading.values()) {
            Sofim sofim = Sofim.of(r);
            rows.add(Arguments.of("quadratic", quad, sofim.withRho(1e4).withLearningRate(100), 1e-8));
            rows.add(Arguments.of("quadratic", quad, sofim.withScope(Scope.PER_LAYER).withRho(1e4).withLearningRate(100), 1e-8));
            rows.add(Arguments.of("quadratic", quad, sofim.withVariant(Variant.NO_MOMENTUM).withRho(100).withLearningRate(1), 1e-8));
            rows.add(Arguments.of("quadratic", quad, sofim.withVariant(Variant.DIAGONAL_FIM).withRho(100).withLearningRate(1), 1e-8));
            // The unregularized ablation converges (with a decaying η) only in the paper reading, whose step m̂/‖m̂‖²
            // is a normalized momentum step: gaps below 1e-4 for every η in 0.1–1 (quadratic: 0.2–1). GRADIENT's step
            // g (gᵀm̂)/(gᵀg)² and PRECONDITIONED_GRADIENT's m (mᵀg)/(mᵀm)² are erratic: over η 0.01–1 with cosine
            // decay to 0 or 1e-3 their final gaps range from 0.01 to infinity and change with the last bit of
            // rounding, so they have no row here; their math is checked by the oracle tests.
            if (r == Reading.PAPER) {
                rows.add(Arguments.of("quadratic", quad, sofim.withVariant(Variant.NO_REGULARIZATION).withRho(0).withLearningRate(0.3)
                        .withSchedule(LearningRateSchedule.cosine(STEPS, 0)), 1e-2));
                rows.add(Arguments.of("logistic", logit, sofim.withVariant(Variant.NO_REGULARIZATION).withRho(0).withLearningRate(0.3)
                        .withSchedule(LearningRateSchedule.cosine(STEPS, 0)), 1e-3));
            }
            rows.add(Arguments.of("logistic", logit, sofim.withRho(1).withLearningRate(1), 1e-8));
            rows.add(Arguments.of("logistic", logit, sofim.withScope(Scope.PER_LAYER).withRho(1).withLearningRate(1), 1e-8));
            rows.add(Arguments.of("logistic", logit, sofim.withVariant(Variant.NO_MOMENTUM).withRho(1).withLearningRate(1), 1e-8));
            rows.add(Arguments.of("logistic", logit, sofim.withVariant(Variant.DIAGONAL_FIM).withRho(1).withLearningRate(1), 1e-8));
            // The Fisher-free control: heavy-ball momentum (at η/ρ, as SGD-momentum's rows below) or, for the
            // preconditioned-gradient reading, plain SGD at η/ρ.
            boolean sgd = r == Reading.PRECONDITIONED_GRADIENT;
            rows.add(Arguments.of("quadratic", quad, sofim.withVariant(Variant.NO_FISHER).withRho(sgd ? 100 : 10).withLearningRate(1), 1e-8));
            rows.add(Arguments.of("logistic", logit, sofim.withVariant(Variant.NO_FISHER).withRho(1).withLearningRate(1), 1e-8));
        }
        rows.addAll(List.of(
                Arguments.of("quadratic", quad, Sgd.plain(0.01), 1e-8),
                Arguments.of("quadratic", quad, Sgd.momentum(0.01, 0.9), 1e-8),
                Arguments.of("quadratic", quad, Sgd.nesterov(0.01, 0.9), 1e-8),
                Arguments.of("quadratic", quad, Adam.defaults().withLearningRate(0.1), 1e-8),
                Arguments.of("logistic", logit, Sgd.plain(1), 1e-8),
                Arguments.of("logistic", logit, Sgd.momentum(0.1, 0.9), 1e-8),
                Arguments.of("logistic", logit, Sgd.nesterov(0.1, 0.9), 1e-8),
                Arguments.of("logistic", logit, Adam.defaults().withLearningRate(0.1), 1e-8)));
        return rows.stream();
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
