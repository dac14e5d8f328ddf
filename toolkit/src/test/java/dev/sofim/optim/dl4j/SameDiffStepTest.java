package dev.sofim.optim.dl4j;

import dev.sofim.experiment.Batches;
import dev.sofim.models.SameDiffModels;
import dev.sofim.optim.Sgd;
import dev.sofim.optim.Sofim;
import dev.sofim.testdata.MnistSubset;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training step the toolkit runs itself on SameDiff graphs: one Fisher matrix over all variables (the paper's
 * global scope), checked against the formula on the gradients SameDiff computes; the same numbers on every run; the
 * SameDiff LeNet-5 trains.
 */
class SameDiffStepTest {

    private static SameDiff logistic(long seed) {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.FLOAT, -1, 784);
        SDVariable label = sd.placeHolder("label", DataType.FLOAT, -1, 10);
        SDVariable w = sd.var("w", Nd4j.randn(Nd4j.getRandomFactory().getNewRandomInstance(seed), 784, 10)
                .castTo(DataType.FLOAT).muli(0.01));
        SDVariable b = sd.var("b", Nd4j.zeros(DataType.FLOAT, 10));
        sd.loss.softmaxCrossEntropy("loss", label, in.mmul(w).add(b), null);
        return sd;
    }

    @Test
    void theFirstSofimStepUsesOneFisherMatrixOverAllVariables() {
        SameDiff sd = logistic(3);
        DataSet batch = Batches.all(MnistSubset.train().head(64));
        Map<String, INDArray> ph = Map.of("in", batch.getFeatures(), "label", batch.getLabels());
        Map<String, INDArray> g = sd.calculateGradients(ph, List.of("w", "b"));
        double gg = 0;
        for (INDArray a : g.values()) {
            gg += a.castTo(DataType.DOUBLE).norm2Number().doubleValue() * a.castTo(DataType.DOUBLE).norm2Number().doubleValue();
        }
        Sofim rule = Sofim.defaults();
        // t = 1: m̂ = g, so d = g / (ρ + ‖g‖²) with ‖g‖² over w and b together
        double scale = rule.learningRate() / (rule.rho() + gg);
        float[] w0 = sd.getArrForVarName("w").dup().data().asFloat(), b0 = sd.getArrForVarName("b").dup().data().asFloat();
        float[] gw = g.get("w").data().asFloat(), gb = g.get("b").data().asFloat();
        new SameDiffStep(sd, "loss", rule, 1).step(batch.getFeatures(), batch.getLabels(), 0);
        float[] w1 = sd.getArrForVarName("w").data().asFloat(), b1 = sd.getArrForVarName("b").data().asFloat();
        for (int i = 0; i < w0.length; i++) {
            assertEquals(w0[i] - scale * gw[i], w1[i], 1e-6 * Math.max(1, Math.abs(w0[i])), "w[" + i + "]");
        }
        for (int i = 0; i < b0.length; i++) {
            assertEquals(b0[i] - scale * gb[i], b1[i], 1e-6, "b[" + i + "]");
        }
    }

    private static float[] trainLenet(int epochs) {
        return trainLenet(epochs, false);
    }

    /** LeNet-5's output weights after training; with {@code release}, the sessions are dropped after every call. */
    private static float[] trainLenet(int epochs, boolean release) {
        SameDiff sd = SameDiffModels.lenet(1, 28, 28, 10, 7);
        SameDiffStep step = new SameDiffStep(sd, "loss", Sofim.defaults(), 1);
        DataSet probe = Batches.all(MnistSubset.train().head(32));
        for (int e = 0; e < epochs; e++) {
            for (DataSet d : Batches.epoch(MnistSubset.train(), 64, 5, e)) {
                step.step(d.getFeatures(), d.getLabels(), e);
                if (release) {
                    assertTrue(sd.getFunction("grad").getSessions().size() > 0, "the step ran in a session");
                    step.releaseSessions();
                    assertEquals(0, sd.getFunction("grad").getSessions().size(), "the gradient session was dropped");
                }
            }
            step.output(probe.getFeatures(), SameDiffModels.OUTPUT);
            if (release) {
                step.releaseSessions();
                assertEquals(0, sd.getSessions().size(), "the output session was dropped");
            }
        }
        return sd.getArrForVarName("out_W").dup().data().asFloat();
    }

    /**
     * LeNet-5 pools before its ReLUs (a quarter of the ReLU work); the textbook order, ReLU then pool, written out here
     * on the same weights, gives the same loss and the same gradient of every variable, bit for bit, on real images.
     */
    @Test
    void lenetsPoolThenReluGivesTheReluThenPoolGradientsBitForBit() {
        SameDiff model = SameDiffModels.lenet(1, 28, 28, 10, 7);
        SameDiff reference = SameDiff.create();
        SDVariable in = reference.placeHolder("in", DataType.FLOAT, -1, 784);
        SDVariable label = reference.placeHolder("label", DataType.FLOAT, -1, 10);
        java.util.function.Function<String, SDVariable> v = name -> reference.var(name, model.getArrForVarName(name).dup());
        org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig pool =
                org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2)
                        .paddingMode(org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode.VALID).isNHWC(false).build();
        SDVariable x = in.reshape(-1, 1, 28, 28);
        for (String[] c : new String[][] {{"c1", "SAME"}, {"c2", "VALID"}}) {
            var conv = org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig.builder().kH(5).kW(5).sH(1).sW(1)
                    .paddingMode(org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode.valueOf(c[1]))
                    .dataFormat("NCHW").weightsFormat(org.nd4j.enums.WeightsFormat.YXIO).build();
            x = reference.cnn().maxPooling2d(reference.nn().relu(reference.cnn().conv2d(x, v.apply(c[0] + "_W"),
                    v.apply(c[0] + "_b"), conv), 0), pool);
        }
        x = x.reshape(-1, 400);
        for (String d : List.of("d1", "d2")) {
            x = reference.nn().relu(x.mmul(v.apply(d + "_W")).add(v.apply(d + "_b")), 0);
        }
        reference.loss.softmaxCrossEntropy("loss", label, x.mmul(v.apply("out_W")).add(v.apply("out_b")), null);
        DataSet batch = Batches.all(MnistSubset.train().head(64));
        Map<String, INDArray> ph = Map.of("in", batch.getFeatures(), "label", batch.getLabels());
        List<String> names = SameDiffModels.parameters(dev.sofim.models.ModelKind.LENET);
        var mine = model.calculateGradientsAndOutputs(ph, List.of("loss"), names);
        var theirs = reference.calculateGradientsAndOutputs(ph, List.of("loss"), names);
        assertEquals(theirs.getOutputs().get("loss").getFloat(0), mine.getOutputs().get("loss").getFloat(0), 0f, "loss");
        for (String name : names) {
            assertArrayEquals(theirs.getGradients().get(name).data().asFloat(), mine.getGradients().get(name).data().asFloat(),
                    "the gradient of " + name);
        }
    }

    @Test
    void droppingTheSessionsBetweenStepsChangesNoNumber() {
        assertArrayEquals(trainLenet(1, false), trainLenet(1, true), "sessions kept or dropped, the same weights");
    }

    @Test
    void theSameDiffLenetTrainsAndGivesTheSameNumbersEveryRun() {
        SameDiff sd = SameDiffModels.lenet(1, 28, 28, 10, 7);
        SameDiffStep step = new SameDiffStep(sd, "loss", Sofim.defaults(), 1);
        assertEquals(61_706, step.size(), "the parameters of the DL4J LeNet-5");
        DataSet all = Batches.all(MnistSubset.train());
        Map<String, INDArray> ph = Map.of("in", all.getFeatures(), "label", all.getLabels());
        double before = sd.outputSingle(ph, "loss").getDouble(0);
        for (int e = 0; e < 3; e++) {
            for (DataSet d : Batches.epoch(MnistSubset.train(), 64, 5, e)) {
                step.step(d.getFeatures(), d.getLabels(), e);
            }
        }
        double after = sd.outputSingle(ph, "loss").getDouble(0);
        assertTrue(after < 0.5 * before, "SameDiff LeNet-5 loss " + before + " -> " + after);
        assertArrayEquals(trainLenet(1), trainLenet(1), "the same seed, the same weights");
    }

    @Test
    void nesterovAndWeightDecayRunToo() {
        SameDiff sd = logistic(5);
        DataSet batch = Batches.all(MnistSubset.train().head(64));
        double first = new SameDiffStep(sd, "loss", Sgd.nesterov(0.1, 0.9).withWeightDecay(1e-4), 1)
                .step(batch.getFeatures(), batch.getLabels(), 0);
        assertTrue(Double.isFinite(first) && first > 0, "loss " + first);
        SameDiff none = SameDiff.create();
        none.placeHolder("in", DataType.FLOAT, -1, 2);
        assertThrows(IllegalArgumentException.class, () -> new SameDiffStep(none, "loss", Sofim.defaults(), 1));
        var wrong = assertThrows(IllegalArgumentException.class, () -> new SameDiffStep(logistic(5), "loss", List.of("w", "w"),
                Sofim.defaults(), 1));
        assertTrue(wrong.getMessage().contains("must list each trainable variable of the graph once"), wrong.getMessage());
        var noLoss = assertThrows(IllegalArgumentException.class, () -> new SameDiffStep(logistic(5), "cost", Sofim.defaults(), 1));
        assertTrue(noLoss.getMessage().contains("the graph has no variable 'cost'"), noLoss.getMessage());
    }
}
