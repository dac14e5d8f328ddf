package dev.sofim.optim;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The first-order baselines step by step against numbers computed by hand (one parameter, gradients 1, 2, −0.5),
 * and SGD with Nesterov momentum against ND4J's native {@code Nesterovs}, which the Javadoc says it equals for a
 * constant learning rate.
 */
class FirstOrderStepsTest {
    static final double[] G = {1, 2, -0.5};

    static double[] trajectory(UpdateRule rule) {
        CoreOptimizer opt = CoreOptimizer.of(rule, 1);
        double[] theta = {0};
        double[] out = new double[G.length];
        for (int t = 0; t < G.length; t++) {
            opt.step(theta, new double[] {G[t]});
            out[t] = theta[0];
        }
        return out;
    }

    @Test
    void plainSgd() {
        // θ −= 0.1·g: −0.1, −0.3, −0.25
        double[] th = trajectory(Sgd.plain(0.1));
        assertEquals(-0.1, th[0], 1e-15);
        assertEquals(-0.3, th[1], 1e-15);
        assertEquals(-0.25, th[2], 1e-15);
    }

    @Test
    void heavyBall() {
        // v = 1, 2.9, 2.11; θ = −0.1, −0.39, −0.601
        double[] th = trajectory(Sgd.momentum(0.1, 0.9));
        assertEquals(-0.1, th[0], 1e-15);
        assertEquals(-0.39, th[1], 1e-15);
        assertEquals(-0.601, th[2], 1e-15);
    }

    @Test
    void nesterov() {
        // v = 1, 2.9, 2.11; s = g + 0.9·v = 1.9, 4.61, 1.399; θ = −0.19, −0.651, −0.7909
        double[] th = trajectory(Sgd.nesterov(0.1, 0.9));
        assertEquals(-0.19, th[0], 1e-15);
        assertEquals(-0.651, th[1], 1e-15);
        assertEquals(-0.7909, th[2], 1e-15);
    }

    @Test
    void adam() {
        // η 0.1, β (0.9, 0.999), ε 1e-8, bias-corrected, computed in Python with the Adam paper's formula
        double[] th = trajectory(new Adam(0.1, 0.9, 0.999, 1e-8, 0, LearningRateSchedule.constant()));
        assertEquals(-0.09999999900000009, th[0], 1e-15);
        assertEquals(-0.1965182009718338, th[1], 1e-15);
        assertEquals(-0.25537887379976326, th[2], 1e-15);
    }

    /** Core Nesterov (v ← μv + g, s = g + μv) and ND4J's (v ← μv − ηg, Δθ = −μv_prev + (1 + μ)v) agree. */
    @Test
    void nesterovAgreesWithNd4jNesterovs() {
        int n = 50;
        Random rng = new Random(3);
        CoreOptimizer core = CoreOptimizer.of(Sgd.nesterov(0.05, 0.9), n);
        INDArray view = Nd4j.zeros(DataType.DOUBLE, 1, n);
        GradientUpdater<?> nd4j = new Nesterovs(0.05, 0.9).instantiate(view, true);
        double[] theta = new double[n];
        INDArray thetaNd = Nd4j.zeros(DataType.DOUBLE, 1, n);
        for (int t = 0; t < 20; t++) {
            double[] g = new double[n];
            for (int i = 0; i < n; i++) {
                g[i] = rng.nextGaussian();
            }
            core.step(theta, g);
            INDArray update = Nd4j.createFromArray(g).reshape(1, n);
            nd4j.applyUpdater(update, t, 0);
            thetaNd.subi(update);
        }
        for (int i = 0; i < n; i++) {
            assertEquals(thetaNd.getDouble(0, i), theta[i], 1e-12 * (1 + Math.abs(theta[i])), "parameter " + i);
        }
    }
}
