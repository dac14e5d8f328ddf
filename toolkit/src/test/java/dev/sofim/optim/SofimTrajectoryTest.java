package dev.sofim.optim;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
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

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 20 steps of softmax regression for every reading × ablation (global scope) against trajectories that
 * {@code tests/oracle/sofim_trajectories.py} computed by hand from the spec with numpy (dense F,
 * {@code numpy.linalg.solve}/{@code pinv}): the core, the DL4J updater on DOUBLE arrays and the Tribuo
 * optimiser each follow them to 1e-12 (relative to max(1, |θ|)).
 */
class SofimTrajectoryTest {
    private static final double TOL = 1e-12;
    private static final JsonObject ORACLE = load();

    private static JsonObject load() {
        try (Reader r = new InputStreamReader(SofimTrajectoryTest.class.getResourceAsStream("/oracle/sofim-trajectories.json"),
                StandardCharsets.UTF_8)) {
            return new Gson().fromJson(r, JsonObject.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Stream<JsonObject> cases() {
        List<JsonObject> out = new ArrayList<>();
        ORACLE.getAsJsonArray("cases").forEach(c -> out.add(c.getAsJsonObject()));
        assertEquals(Reading.values().length * Variant.values().length, out.size(), "one case per reading and variant");
        return out.stream();
    }

    private static double[] vector(JsonArray a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsDouble();
        }
        return v;
    }

    private final int examples = ORACLE.get("examples").getAsInt();
    private final int features = ORACLE.get("features").getAsInt();
    private final int classes = ORACLE.get("classes").getAsInt();
    private final int batch = ORACLE.get("batch").getAsInt();
    private final double[][] x = rows(ORACLE.getAsJsonArray("x"));
    private final int[] y = java.util.Arrays.stream(vector(ORACLE.getAsJsonArray("y"))).mapToInt(d -> (int) d).toArray();

    private static double[][] rows(JsonArray a) {
        double[][] m = new double[a.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = vector(a.get(i).getAsJsonArray());
        }
        return m;
    }

    /** Mean cross-entropy gradient of softmax regression on mini-batch k; θ = [W (classes × features, row-major), b]. */
    private double[] gradient(double[] theta, int k) {
        int n = classes * features + classes;
        double[] g = new double[n];
        for (int e = k * batch; e < (k + 1) * batch; e++) {
            double[] z = new double[classes];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                z[c] = theta[classes * features + c];
                for (int f = 0; f < features; f++) {
                    z[c] += theta[c * features + f] * x[e][f];
                }
                max = Math.max(max, z[c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                z[c] = Math.exp(z[c] - max);
                sum += z[c];
            }
            for (int c = 0; c < classes; c++) {
                double p = (z[c] / sum - (y[e] == c ? 1 : 0)) / batch;
                for (int f = 0; f < features; f++) {
                    g[c * features + f] += p * x[e][f];
                }
                g[classes * features + c] += p;
            }
        }
        return g;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void coreDl4jAndTribuoFollowTheNumpyTrajectory(JsonObject c) {
        Reading reading = Reading.parse(c.get("reading").getAsString());
        Variant variant = Variant.valueOf(c.get("variant").getAsString());
        Sofim rule = new Sofim(c.get("learningRate").getAsDouble(), c.get("beta").getAsDouble(), c.get("rho").getAsDouble(),
                reading, variant, Scope.GLOBAL, 0, LearningRateSchedule.constant());
        int n = classes * features + classes;
        double[] theta0 = vector(ORACLE.getAsJsonArray("theta0"));

        CoreOptimizer core = CoreOptimizer.of(rule, n);
        double[] coreTheta = theta0.clone();

        RuleUpdaterConfig cfg = RuleUpdaterConfig.of(rule);
        GradientUpdater<?> dl4j = cfg.instantiate(Nd4j.zeros(DataType.DOUBLE, 1, Math.max(1, cfg.stateSize(n))), true);
        double[] dl4jTheta = theta0.clone();

        // Tribuo: one weight matrix (classes × features+1, bias last), negative gradient, ×B² minibatch scaling.
        RuleOptimiser tribuo = RuleOptimiser.of(rule, batch);
        LinearParameters params = new LinearParameters(features + 1, classes);
        DenseMatrix w = (DenseMatrix) params.get()[0];
        for (int cl = 0; cl < classes; cl++) {
            for (int f = 0; f < features; f++) {
                w.set(cl, f, theta0[cl * features + f]);
            }
            w.set(cl, features, theta0[classes * features + cl]);
        }
        tribuo.initialise(params);
        double[] tribuoTheta = theta0.clone();

        JsonArray trajectory = c.getAsJsonArray("trajectory");
        for (int t = 0; t < trajectory.size(); t++) {
            int k = t % (examples / batch);
            core.step(coreTheta, gradient(coreTheta, k));

            INDArray g = Nd4j.createFromArray(gradient(dl4jTheta, k)).reshape(1, n);
            dl4j.applyUpdater(g, t, 0);
            double[] s = g.toDoubleVector();
            for (int i = 0; i < n; i++) {
                dl4jTheta[i] -= s[i];
            }

            double[] tg = gradient(tribuoTheta, k);
            DenseMatrix u = new DenseMatrix(classes, features + 1);
            for (int cl = 0; cl < classes; cl++) {
                for (int f = 0; f < features; f++) {
                    u.set(cl, f, -tg[cl * features + f] * batch * batch);
                }
                u.set(cl, features, -tg[classes * features + cl] * batch * batch);
            }
            params.update(tribuo.step(new Tensor[] {u}, 1.0));
            for (int cl = 0; cl < classes; cl++) {
                for (int f = 0; f < features; f++) {
                    tribuoTheta[cl * features + f] = w.get(cl, f);
                }
                tribuoTheta[classes * features + cl] = w.get(cl, features);
            }

            double[] expected = vector(trajectory.get(t).getAsJsonArray());
            for (int i = 0; i < n; i++) {
                double tol = TOL * Math.max(1, Math.abs(expected[i]));
                String at = reading + " " + variant + " step " + (t + 1) + " index " + i;
                assertEquals(expected[i], coreTheta[i], tol, "core, " + at);
                assertEquals(expected[i], dl4jTheta[i], tol, "DL4J, " + at);
                assertEquals(expected[i], tribuoTheta[i], tol, "Tribuo, " + at);
            }
        }
        double moved = 0;
        for (int i = 0; i < n; i++) {
            moved = Math.max(moved, Math.abs(coreTheta[i] - theta0[i]));
        }
        assertTrue(moved > 1e-3, "the trajectory moves: max |θ₂₀ − θ₀| = " + moved);
    }
}
