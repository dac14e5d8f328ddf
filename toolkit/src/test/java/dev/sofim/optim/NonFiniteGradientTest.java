package dev.sofim.optim;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NonFiniteGradientTest {
    static Stream<String> rules() {
        return Rules.all().keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("rules")
    void nanGradientLeavesParametersAndStateUntouched(String name) {
        UpdateRule rule = Rules.all().get(name);
        CoreOptimizer opt = new CoreOptimizer(rule, 0, 3, 6);
        double[] theta = {1, 2, 3, 4, 5, 6};
        opt.step(theta, new double[] {0.1, -0.2, 0.3, 0.1, 0.1, 0.1});
        double[] thetaBefore = theta.clone();
        double[] stateBefore = opt.state();

        double[] bad = {0.1, Double.NaN, 0.3, 0.1, Double.POSITIVE_INFINITY, 0.1};
        NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class, () -> opt.step(theta, bad));
        assertEquals(2, e.step());
        assertEquals(2, e.badEntries());
        assertTrue(e.getMessage().contains("step 2") && e.getMessage().contains("2 of 6"), e.getMessage());
        assertArrayEquals(thetaBefore, theta);
        assertArrayEquals(stateBefore, opt.state());
        assertEquals(1, opt.steps());
    }

    @ParameterizedTest
    @MethodSource("rules")
    void weightDecayIsDecoupled(String name) {
        UpdateRule rule = Rules.all().get(name);
        UpdateRule decayed = rule.withWeightDecay(0.1);
        double[] theta = {1, -2, 3};
        double[] g = {0.3, 0.2, -0.1};
        double[] plain = g.clone();
        double[] withWd = g.clone();
        UpdateStep.compute(rule, Vec.of(plain), Vec.of(new double[rule.stateNames().size() * 3]), null, 1, 0, null);
        UpdateStep.compute(decayed, Vec.of(withWd), Vec.of(new double[rule.stateNames().size() * 3]), Vec.of(theta), 1,
                0, null);
        for (int i = 0; i < 3; i++) {
            assertEquals(plain[i] + rule.learningRate() * 0.1 * theta[i], withWd[i], 1e-15);
        }
    }

    @org.junit.jupiter.api.Test
    void scheduleIsApplied() {
        Sgd sgd = Sgd.plain(1.0).withSchedule(LearningRateSchedule.stepDecay(0.5, 2));
        for (Map.Entry<Integer, Double> e : Map.of(0, 1.0, 1, 1.0, 2, 0.5, 5, 0.25).entrySet()) {
            double[] g = {2.0};
            UpdateStep.compute(sgd, Vec.of(g), Vec.empty(), null, 1, e.getKey(), null);
            assertEquals(2.0 * e.getValue(), g[0], 1e-15);
        }
        LearningRateSchedule cos = LearningRateSchedule.cosine(10, 0.1);
        assertEquals(1.0, cos.learningRate(1.0, 1, 0), 1e-15);
        assertEquals(0.1, cos.learningRate(1.0, 11, 0), 1e-15);
        assertEquals(0.55, cos.learningRate(1.0, 6, 0), 1e-15);
    }
}
