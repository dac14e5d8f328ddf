package dev.sofim.optim;

import dev.sofim.optim.dl4j.RuleUpdaterConfig;
import dev.sofim.optim.tribuo.RuleOptimiser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.tribuo.math.LinearParameters;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.Tensor;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The core, the ND4J adapter and the Tribuo adapter agree step by step for 5 steps on the same
 * gradient sequence, for every optimizer and variant. ND4J runs in DOUBLE so agreement is to
 * rounding; a FLOAT run agrees to float precision.
 */
class AdapterAgreementTest {
    private static final int ROWS = 3;
    private static final int COLS = 7;
    private static final int N = ROWS * COLS;

    static Stream<String> rules() {
        return Rules.all().keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("rules")
    void coreNd4jAndTribuoAgree(String name) {
        UpdateRule rule = Rules.all().get(name);
        Random rng = new Random(name.hashCode());

        CoreOptimizer core = CoreOptimizer.of(rule, N);
        double[] coreTheta = DenseOracle.gaussian(rng, N, 1.0);

        RuleUpdaterConfig cfg = RuleUpdaterConfig.of(rule);
        INDArray view = Nd4j.zeros(DataType.DOUBLE, 1, cfg.stateSize(N));
        GradientUpdater<?> nd4j = cfg.instantiate(view, true);
        double[] nd4jTheta = coreTheta.clone();
        INDArray floatView = Nd4j.zeros(DataType.FLOAT, 1, cfg.stateSize(N));
        GradientUpdater<?> nd4jFloat = cfg.instantiate(floatView, true);
        double[] floatTheta = coreTheta.clone();

        int batch = 4;
        double weight = 0.5;
        RuleOptimiser tribuo = RuleOptimiser.of(rule, batch);
        LinearParameters params = new LinearParameters(COLS, ROWS);
        DenseMatrix w = (DenseMatrix) params.get()[0];
        for (int i = 0; i < N; i++) {
            w.set(i / COLS, i % COLS, coreTheta[i]);
        }
        tribuo.initialise(params);

        for (int t = 0; t < 5; t++) {
            double[] g = DenseOracle.gaussian(rng, N, 0.7);
            core.step(coreTheta, g);

            INDArray grad = Nd4j.createFromArray(g.clone()).reshape(1, N);
            nd4j.applyUpdater(grad, t, 0);
            subtract(nd4jTheta, grad);
            INDArray gradF = Nd4j.createFromArray(g.clone()).castTo(DataType.FLOAT).reshape(1, N);
            nd4jFloat.applyUpdater(gradF, t, 0);
            subtract(floatTheta, gradF);

            // Tribuo: negative gradient, example weight w, and its ×B scaling of minibatch sums.
            DenseMatrix u = new DenseMatrix(ROWS, COLS);
            for (int i = 0; i < N; i++) {
                u.set(i / COLS, i % COLS, -g[i] / weight * batch * batch);
            }
            params.update(tribuo.step(new Tensor[] {u}, weight));

            for (int i = 0; i < N; i++) {
                assertEquals(coreTheta[i], nd4jTheta[i], 1e-12, name + " ND4J step " + (t + 1) + " index " + i);
                assertEquals(coreTheta[i], w.get(i / COLS, i % COLS), 1e-12, name + " Tribuo step " + (t + 1));
                assertEquals(coreTheta[i], floatTheta[i], 1e-4 * Math.max(1, Math.abs(coreTheta[i])),
                        name + " ND4J float step " + (t + 1));
            }
        }
        if (view.length() > 0) {
            assertArrayEquals(core.state(), view.reshape(view.length()).toDoubleVector(), 1e-12, name + " state");
        }
    }

    private static void subtract(double[] theta, INDArray step) {
        double[] s = step.castTo(DataType.DOUBLE).toDoubleVector();
        for (int i = 0; i < theta.length; i++) {
            theta[i] -= s[i];
        }
    }
}
