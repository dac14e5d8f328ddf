package dev.sofim.optim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HyperparameterValidationTest {
    private static final LearningRateSchedule C = LearningRateSchedule.constant();

    static Stream<Arguments> invalid() {
        double nan = Double.NaN, inf = Double.POSITIVE_INFINITY;
        return Stream.of(
                bad("learningRate", "0.0", () -> new Sofim(0, 0.9, 1, Reading.GRADIENT, Variant.FULL, Scope.GLOBAL, 0, C)),
                bad("learningRate", "-0.1", () -> new Sofim(-0.1, 0.9, 1, Reading.GRADIENT, Variant.FULL, Scope.GLOBAL, 0, C)),
                bad("learningRate", "NaN", () -> new Sofim(nan, 0.9, 1, Reading.GRADIENT, Variant.FULL, Scope.GLOBAL, 0, C)),
                bad("learningRate", "Infinity", () -> new Sofim(inf, 0.9, 1, Reading.GRADIENT, Variant.FULL, Scope.GLOBAL, 0, C)),
                bad("beta", "1.0", () -> new Sofim(0.1, 1.0, 1, Reading.GRADIENT, Variant.FULL, Scope.GLOBAL, 0, C)),
                bad("beta", "-0.5", () -> new Sofim(0.1, -0.5, 1, Reading.GRADIENT, Variant.FULL, Scope.GLOBAL, 0, C)),
                bad("rho", "0.0", () -> new Sofim(0.1, 0.9, 0, Reading.GRADIENT, Variant.FULL, Scope.GLOBAL, 0, C)),
                bad("rho", "0.0", () -> new Sofim(0.1, 0.9, 0, Reading.PAPER, Variant.DIAGONAL_FIM, Scope.GLOBAL, 0, C)),
                bad("rho", "-1.0", () -> new Sofim(0.1, 0.9, -1, Reading.PRECONDITIONED_GRADIENT, Variant.NO_REGULARIZATION, Scope.GLOBAL, 0, C)),
                bad("rho", "NaN", () -> new Sofim(0.1, 0.9, nan, Reading.GRADIENT, Variant.FULL, Scope.GLOBAL, 0, C)),
                bad("weightDecay", "-0.01", () -> new Sofim(0.1, 0.9, 1, Reading.GRADIENT, Variant.FULL, Scope.GLOBAL, -0.01, C)),
                bad("variant", "null", () -> new Sofim(0.1, 0.9, 1, Reading.PAPER, null, Scope.GLOBAL, 0, C)),
                bad("reading", "null", () -> new Sofim(0.1, 0.9, 1, null, Variant.FULL, Scope.GLOBAL, 0, C)),
                bad("reading 'fisher'", "PAPER, GRADIENT, PRECONDITIONED_GRADIENT", () -> Reading.parse("fisher")),
                bad("learningRate", "0.0", () -> Sgd.plain(0)),
                bad("momentum", "1.0", () -> Sgd.momentum(0.1, 1.0)),
                bad("momentum", "0.0", () -> Sgd.nesterov(0.1, 0.0)),
                bad("beta2", "1.0", () -> new Adam(1e-3, 0.9, 1.0, 1e-8, 0, C)),
                bad("epsilon", "0.0", () -> new Adam(1e-3, 0.9, 0.99, 0, 0, C)),
                bad("AdaHessian: learningRate", "0.0", () -> new AdaHessian(0, 0.9, 0.999, 1e-4, 1, 1, true)),
                bad("AdaHessian: beta2", "1.0", () -> new AdaHessian(0.1, 0.9, 1.0, 1e-4, 1, 1, true)),
                bad("AdaHessian: epsilon", "0.0", () -> new AdaHessian(0.1, 0.9, 0.999, 0, 1, 1, true)),
                bad("AdaHessian: epsilon", "-1.0E-4", () -> new AdaHessian(0.1, 0.9, 0.999, -1e-4, 1, 1, true)),
                bad("AdaHessian: hessianPower", "0.0", () -> new AdaHessian(0.1, 0.9, 0.999, 1e-4, 0, 1, true)),
                bad("AdaHessian: hessianInterval", "0", () -> new AdaHessian(0.1, 0.9, 0.999, 1e-4, 1, 0, true)),
                bad("Lbfgs: history", "0", () -> new Lbfgs(0.1, 0, 1e-4, false)),
                bad("Lbfgs: history", "-3", () -> new Lbfgs(0.1, -3, 1e-4, false)),
                bad("Lbfgs: curvatureEpsilon", "0.0", () -> new Lbfgs(0.1, 10, 0, false)),
                bad("Lbfgs: learningRate", "NaN", () -> new Lbfgs(nan, 10, 1e-4, false)),
                bad("NystromSgd: rank", "0", () -> new NystromSgd(0.1, 0, 1, 1)),
                bad("NystromSgd: refreshInterval", "0", () -> new NystromSgd(0.1, 10, 0, 1)),
                bad("NystromSgd: rho", "-1.0", () -> new NystromSgd(0.1, 10, 1, -1)),
                bad("NystromSgd: rho", "0.0", () -> new NystromSgd(0.1, 10, 1, 0)),
                bad("OracleOptimizer: rule", "null", () -> new OracleOptimizer(null, ParameterLayout.flat(2), 1)),
                bad("kernels of size 4", "[0, 6)", () -> new ParameterLayout(new int[] {0, 6}, new int[] {4})),
                bad("blocks must rise strictly from 0 to n", "[0, -3]", () -> new CoreOptimizer(Sgd.plain(0.1), 0, -3)),
                bad("blocks must rise strictly from 0 to n", "[1, 4]", () -> new CoreOptimizer(Sgd.plain(0.1), 1, 4)),
                bad("factor", "-0.5", () -> LearningRateSchedule.stepDecay(-0.5, 1)),
                bad("totalSteps", "0", () -> LearningRateSchedule.cosine(0, 0.1)));
    }

    private static Arguments bad(String name, String value, Executable e) {
        return Arguments.of(name, value, e);
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("invalid")
    void rejectsWithMessageNamingTheValue(String name, String value, Executable construct) {
        Exception e = assertThrows(RuntimeException.class, construct);
        assertTrue(e.getMessage().contains(name), e.getMessage());
        assertTrue(e.getMessage().contains(value), e.getMessage());
    }

    @Test
    void noRegularizationAcceptsRhoZero() {
        assertEquals(0.0, Sofim.of(Variant.NO_REGULARIZATION).withRho(0).rho());
    }

    @Test
    void toStringShowsEveryHyperparameter() {
        String s = Sofim.defaults().toString();
        for (String field : new String[] {"learningRate=" + Sofim.DEFAULT_LEARNING_RATE, "beta=0.9",
                "rho=" + Sofim.DEFAULT_RHO, "reading=PAPER", "variant=FULL", "scope=GLOBAL",
                "weightDecay=0.0", "schedule=Constant"}) {
            assertTrue(s.contains(field), s);
        }
        assertTrue(Adam.defaults().toString().contains("epsilon=1.0E-8"));
        assertTrue(Sgd.defaults().toString().contains("nesterov=false"));
    }
}
