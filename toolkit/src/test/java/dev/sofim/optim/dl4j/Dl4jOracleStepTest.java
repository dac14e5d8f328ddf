package dev.sofim.optim.dl4j;

import dev.sofim.optim.AdaHessian;
import dev.sofim.optim.CountingOracle;
import dev.sofim.optim.SoftmaxRegression;
import dev.sofim.optim.Lbfgs;
import dev.sofim.optim.NonFiniteGradientException;
import dev.sofim.optim.NystromSgd;
import dev.sofim.optim.OracleRule;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The oracle training step on a DL4J network with a convolution, batch normalization and dropout:
 * model state after a step is what a plain {@code fit} leaves, and checkpoints resume exactly.
 */
class Dl4jOracleStepTest {
    static final int CLASSES = 3;

    static MultiLayerNetwork net(double dropout) {
        var dense = new DenseLayer.Builder().nOut(8).activation(Activation.TANH);
        if (dropout > 0) {
            dense.dropOut(dropout);
        }
        var conf = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT).updater(new Sgd(0.05)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(2).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(dense.build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(6, 6, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** A batch from java.util.Random (ND4J's generator does not repeat after setSeed once it has been used). */
    static DataSet batch(long seed) {
        java.util.Random rng = new java.util.Random(seed);
        float[][] rows = new float[16][36];
        for (float[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = rng.nextFloat();
            }
        }
        INDArray x = Nd4j.createFromArray(rows);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 16, CLASSES);
        for (int i = 0; i < 16; i++) {
            y.putScalar(i, (i * 7 + seed) % CLASSES, 1);
        }
        return new DataSet(x, y);
    }

    static Stream<OracleRule> rules() {
        return Stream.of(AdaHessian.defaults(), new Lbfgs(0.1, 3, 1e-4, false), new Lbfgs(0.5, 3, 1e-4, true),
                new NystromSgd(0.1, 4, 2, 1));
    }

    static INDArray bn(MultiLayerNetwork net, String key) {
        return net.getLayer(1).getParam(key).dup();
    }

    @ParameterizedTest
    @MethodSource("rules")
    void aStepLeavesModelStateAsAPlainFitDoes(OracleRule rule) {
        MultiLayerNetwork plain = net(0.7), oracle = net(0.7);
        DataSet b = batch(3);
        Nd4j.getRandom().setSeed(99);
        plain.fit(b);
        long root = Nd4j.getRandom().rootState(), node = Nd4j.getRandom().nodeState();
        double plainScore = plain.score();

        Nd4j.getRandom().setSeed(99);
        Dl4jOracleStep step = Dl4jOracleStep.of(oracle, rule, 1);
        double loss = step.fit(b);
        assertTrue(step.optimizer().gradientEvaluations() > 1, "the rule asked the oracle: " + step.optimizer());
        for (String key : List.of(BatchNormalizationParamInitializer.GLOBAL_MEAN, BatchNormalizationParamInitializer.GLOBAL_LOG_STD)) {
            assertTrue(bn(plain, key).equals(bn(oracle, key)), key + " after one step of " + rule);
        }
        assertEquals(root, Nd4j.getRandom().rootState(), "random generator as after fit");
        assertEquals(node, Nd4j.getRandom().nodeState(), "random generator as after fit");
        assertFalse(bn(net(0.7), BatchNormalizationParamInitializer.GLOBAL_MEAN).equals(
                bn(oracle, BatchNormalizationParamInitializer.GLOBAL_MEAN)), "the step moved the running mean");
        assertEquals(plainScore, loss, 0, "the loss at θ, with the same dropout mask as fit");
        assertEquals(plainScore, oracle.score(), 0, "the score listeners see");
        assertEquals(plain.getIterationCount(), oracle.getIterationCount());
        int channels = 2;
        assertEquals(oracle.numParams() - 2 * channels, step.trainableParameters(), "running statistics are not trained");
    }

    @ParameterizedTest
    @MethodSource("rules")
    void checkpointAndResumeReproducesTheUninterruptedRun(OracleRule rule, @TempDir Path dir) throws Exception {
        MultiLayerNetwork uninterrupted = net(0);
        Dl4jOracleStep a = Dl4jOracleStep.of(uninterrupted, rule, 8);
        for (int t = 0; t < 5; t++) {
            a.fit(batch(t));
        }
        MultiLayerNetwork first = net(0);
        Dl4jOracleStep b = Dl4jOracleStep.of(first, rule, 8);
        for (int t = 0; t < 2; t++) {
            b.fit(batch(t));
        }
        File f = dir.resolve("cp.zip").toFile();
        ModelSerializer.writeModel(first, f, true);
        ModelSerializer.addObjectToFile(f, Dl4jOracleStep.CHECKPOINT_KEY, b.optimizer().snapshot());
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(f, true);
        Dl4jOracleStep c = Dl4jOracleStep.of(restored, rule, 8);
        c.optimizer().restore(ModelSerializer.getObjectFromFile(f, Dl4jOracleStep.CHECKPOINT_KEY));
        for (int t = 2; t < 5; t++) {
            c.fit(batch(t));
        }
        assertTrue(uninterrupted.params().equals(restored.params()), rule + ": max difference "
                + uninterrupted.params().sub(restored.params()).amaxNumber());
        assertEquals(a.optimizer(), c.optimizer());
    }

    /**
     * The oracle on a DL4J softmax layer in double precision is the same function as the pure-Java
     * {@link SoftmaxRegression} (DL4J's W is [nIn, nOut] in 'f' order, so the flat layouts agree): gradients at
     * other points agree to rounding, and finite-difference Hessian–vector products through the DL4J oracle
     * match the closed form to the documented tolerance.
     */
    @Test
    void theOracleOnADl4jSoftmaxLayerMatchesTheClosedForm() {
        int d = 5, k = 4, rows = 30;
        java.util.Random rng = new java.util.Random(3);
        double[][] x = new double[rows][d];
        int[] y = new int[rows];
        double[][] onehot = new double[rows][k];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = rng.nextGaussian();
            }
            y[i] = rng.nextInt(k);
            onehot[i][y[i]] = 1;
        }
        var conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE).updater(new Sgd(0.1)).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(d).nOut(k)
                        .activation(Activation.SOFTMAX).build()).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        SoftmaxRegression exact = new SoftmaxRegression(x, y, k);
        Dl4jOracleStep step = Dl4jOracleStep.of(net, Lbfgs.defaults(), 1);
        INDArray before = net.params().dup();
        try (Dl4jOracleStep.BatchOracle oracle = step.oracle(new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(onehot)))) {
            assertEquals(dev.sofim.optim.GradientOracle.DOUBLE_ROUNDOFF, oracle.unitRoundoff());
            double[] theta = oracle.theta();
            double[] want = new double[theta.length];
            assertEquals(exact.gradient(theta, want), oracle.loss(), 1e-12);
            assertArrayEquals(want, oracle.gradient(), 1e-12, "gradient at θ");
            double[] other = theta.clone();
            for (int i = 0; i < other.length; i++) {
                other[i] += 0.3 * rng.nextGaussian();
            }
            double[] got = new double[theta.length];
            assertEquals(exact.gradient(other, want), oracle.gradient(other, got), 1e-12);
            assertArrayEquals(want, got, 1e-12, "gradient at another point");
            assertTrue(before.equals(net.params()), "parameters put back after the evaluation");
            double[] v = new double[theta.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.nextBoolean() ? 1 : -1;
            }
            double[] fd = new double[theta.length], hv = new double[theta.length];
            new CountingOracle(oracle, 1).hessianVectorProduct(theta, v, fd);
            exact.exactHessianVectorProduct(theta, v, hv);
            double num = 0, den = 0;
            for (int i = 0; i < v.length; i++) {
                num += (fd[i] - hv[i]) * (fd[i] - hv[i]);
                den += hv[i] * hv[i];
            }
            assertTrue(Math.sqrt(num / den) < 1e-7, "relative error " + Math.sqrt(num / den));
        }
    }

    /** The small ResNet is a ComputationGraph: the same step runs on it, and its 3×3 kernels are averaged. */
    @Test
    void theStepRunsOnTheResNetGraph() {
        var graph = (org.deeplearning4j.nn.graph.ComputationGraph) dev.sofim.models.Models.build(
                dev.sofim.models.ModelKind.RESNET, 3, 8, 8, CLASSES, new Sgd(0.0), 4);
        java.util.Random rng = new java.util.Random(2);
        float[][] rows = new float[8][3 * 8 * 8];
        for (float[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = rng.nextFloat();
            }
        }
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, CLASSES);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i % CLASSES, 1);
        }
        INDArray before = graph.params().dup();
        Dl4jOracleStep step = Dl4jOracleStep.of(graph, new AdaHessian(0.05, 0.9, 0.999, 1e-4, 1, 1, true), 1);
        double loss = step.fit(new DataSet(Nd4j.createFromArray(rows), y));
        assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
        assertFalse(before.equals(graph.params()), "the step moved the parameters");
        assertEquals(1, graph.getIterationCount());
        assertEquals(graph.numParams(), step.trainableParameters(), "no batch norm in this ResNet: every parameter trains");
        assertEquals(3, step.optimizer().gradientEvaluations(), "the gradient at θ and a central difference");
        boolean kernels = false;
        for (int s = 0; s < step.layout().segments(); s++) {
            kernels |= step.layout().kernelSize(s) == 9;
        }
        assertTrue(kernels, "3×3 kernels found in the graph's layout");
    }

    @Test
    void aNonFiniteGradientWritesNothing() {
        MultiLayerNetwork n = net(0);
        INDArray before = n.params().dup();
        DataSet bad = batch(1);
        bad.getFeatures().putScalar(0, 0, Float.NaN);
        Dl4jOracleStep step = Dl4jOracleStep.of(n, AdaHessian.defaults(), 1);
        assertThrows(NonFiniteGradientException.class, () -> step.fit(bad));
        assertTrue(before.equals(n.params()));
        assertEquals(0, step.optimizer().steps());
    }

    @Test
    void regularizedNetworksAreRejectedByName() {
        var conf = new NeuralNetConfiguration.Builder().seed(1).l2(1e-4).updater(new Sgd(0.1)).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(4).nOut(2)
                        .activation(Activation.SOFTMAX).build()).build();
        MultiLayerNetwork reg = new MultiLayerNetwork(conf);
        reg.init();
        var e = assertThrows(IllegalArgumentException.class, () -> Dl4jOracleStep.of(reg, AdaHessian.defaults(), 1));
        assertTrue(e.getMessage().contains("'out'") && e.getMessage().contains("regularization"), e.getMessage());
    }

    @Test
    void convolutionKernelsAreAveragedSpatially() {
        MultiLayerNetwork n = net(0);
        Dl4jOracleStep step = Dl4jOracleStep.of(n, AdaHessian.defaults(), 1);
        var layout = step.layout();
        java.util.List<Integer> kernels = new java.util.ArrayList<>();
        for (int s = 0; s < layout.segments(); s++) {
            kernels.add(layout.kernelSize(s));
        }
        // conv b (2), conv W (2×1×3×3, kernels of 9), BN γ, β, dense W, b, output W, b
        assertEquals(List.of(1, 9, 1, 1, 1, 1, 1, 1), kernels);
        assertEquals(18, layout.end(1) - layout.start(1));
    }
}
