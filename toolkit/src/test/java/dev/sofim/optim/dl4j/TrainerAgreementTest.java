package dev.sofim.optim.dl4j;

import dev.sofim.experiment.Batches;
import dev.sofim.models.ModelKind;
import dev.sofim.models.Models;
import dev.sofim.models.SameDiffModels;
import dev.sofim.optim.AdaHessian;
import dev.sofim.optim.Lbfgs;
import dev.sofim.optim.NystromSgd;
import dev.sofim.optim.OracleRule;
import dev.sofim.optim.Rule;
import dev.sofim.optim.Rules;
import dev.sofim.optim.UpdateRule;
import dev.sofim.testdata.MnistSubset;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two trainers compute the same steps: a DL4J network and its SameDiff twin ({@link SameDiffModels}), given the
 * same weights (DL4J's copied into the graph, convolution kernels permuted to SameDiff's layout), take two steps on the
 * same mini-batches (one step for SOFIM without regularization, whose second step amplifies rounding) with every
 * rule (SOFIM in every reading and variant and the per-layer scope, SGD, momentum, Nesterov, Adam, and on the MLP,
 * LeNet-5 and ResNet the Newton-type rules, whose random probes fall on the same parameters in both: the oracle's
 * vector is in DL4J's flat order) and end at the same weights up to float rounding: an independent check of the
 * SameDiff graphs, the flat gradient and the rules' wiring.
 */
class TrainerAgreementTest {

    static Stream<Arguments> everyRule() {
        List<Arguments> a = new ArrayList<>();
        for (var e : Rules.all().entrySet()) {
            a.add(Arguments.of(ModelKind.MLP, e.getKey(), e.getValue()));
        }
        // The Newton-type rules with well-conditioned first steps: AdaHessian's default ε (1e-4) divides by Hessian
        // estimates near zero, so its first step is dominated by finite-difference noise (weights of 0.1 moved to 17);
        // ε = 1 and ρ = 10 keep the steps functions of the curvature, not of the rounding.
        for (ModelKind kind : List.of(ModelKind.MLP, ModelKind.LENET, ModelKind.RESNET)) {
            a.add(Arguments.of(kind, "lbfgs", Lbfgs.defaults()));
            a.add(Arguments.of(kind, "adahessian", AdaHessian.defaults().withEpsilon(1)));
            a.add(Arguments.of(kind, "nystrom-sgd", NystromSgd.defaults().withRho(10)));
        }
        for (String name : List.of("sofim-PAPER-FULL", "sofim-per-layer", "nesterov", "adam")) {
            a.add(Arguments.of(ModelKind.LENET, name, Rules.all().get(name)));
        }
        // (not Adam on the ResNet: its first step is η·sign(g) where g is rounding-sized, up to 3e-4 apart)
        for (String name : List.of("sofim-PAPER-FULL", "nesterov")) {
            a.add(Arguments.of(ModelKind.RESNET, name, Rules.all().get(name)));
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyRule")
    void theSameWeightsTakeTheSameSteps(ModelKind kind, String name, Rule rule) {
        long seed = 3;
        boolean colour = kind == ModelKind.RESNET;
        int c = colour ? 3 : 1, hw = colour ? 32 : 28;
        org.deeplearning4j.nn.api.Model net = Models.build(kind, c, hw, hw, 10,
                rule instanceof UpdateRule u ? RuleUpdaterConfig.of(u) : new org.nd4j.linalg.learning.config.Sgd(0), seed);
        SameDiff sd = SameDiffModels.build(kind, c, hw, hw, 10, 99);
        copy(net, sd); // (a graph built with seed 3 starts there too: aGraphStartsFromTheWeightsOfItsDl4jTwin)
        Dl4jOracleStep oracle = rule instanceof OracleRule o ? Dl4jOracleStep.of(net, o, seed) : null;
        SameDiffStep step = new SameDiffStep(sd, SameDiffModels.LOSS, SameDiffModels.parameters(kind), rule, seed);
        assertArrayEquals(net.params().toDoubleVector(), step.oracleVector(), 0, "the oracle's vector is DL4J's flat vector");
        // Two steps where the first one is tame. One step for SOFIM without regularization (ρ = 0: its first step is of
        // size η/‖g‖, and the next amplifies rounding past any float tolerance), for the Newton-type rules (their
        // Hessian-vector products are finite differences of float gradients, which magnify the two libraries' rounding
        // differences; their default first steps are large) and for the ResNet (deeper: more rounding per step).
        boolean oneStep = name.contains("NO_REGULARIZATION") || rule instanceof OracleRule || colour;
        List<DataSet> batches = (colour ? colourBatches() : Batches.epoch(MnistSubset.train(), 64, 1, 1)).subList(0, oneStep ? 1 : 2);
        for (DataSet b : batches) {
            double dl4jLoss;
            if (oracle != null) {
                dl4jLoss = oracle.fit(b);
            } else if (net instanceof MultiLayerNetwork m) {
                m.fit(b);
                dl4jLoss = m.score();
            } else {
                ((org.deeplearning4j.nn.graph.ComputationGraph) net).fit(b);
                dl4jLoss = net.score();
            }
            double sdLoss = step.step(b.getFeatures(), b.getLabels(), 0);
            assertEquals(dl4jLoss, sdLoss, 1e-5 * Math.abs(dl4jLoss), name + ": the loss before the step");
        }
        double worst = 0, scale = 0;
        for (var p : pairs(net, sd)) {
            INDArray d = p[0].castTo(DataType.DOUBLE), s = p[1].castTo(DataType.DOUBLE);
            worst = Math.max(worst, d.sub(s).amaxNumber().doubleValue());
            scale = Math.max(scale, d.amaxNumber().doubleValue());
        }
        assertTrue(worst <= 2e-4 * scale, name + " on " + kind + ": weights differ by up to " + worst + " (largest weight "
                + scale + ")");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(ModelKind.class)
    void aGraphStartsFromTheWeightsOfItsDl4jTwin(ModelKind kind) {
        int c = kind == ModelKind.RESNET ? 3 : 1, hw = kind == ModelKind.RESNET ? 32 : 28;
        org.deeplearning4j.nn.api.Model net = Models.build(kind, c, hw, hw, 10, new org.nd4j.linalg.learning.config.Sgd(0.1), 11);
        SameDiff sd = SameDiffModels.build(kind, c, hw, hw, 10, 11);
        assertEquals(net.numParams(), new SameDiffStep(sd, SameDiffModels.LOSS, Rules.all().get("adam"), 1).size(),
                "parameter count");
        for (INDArray[] p : pairs(net, sd)) {
            assertEquals(p[0], p[1], kind.toString());
        }
    }

    /** The index of a sequential network's layer whose parameters are the graph's {@code layer}. */
    private static int layerIndex(MultiLayerNetwork net, SameDiff sd, String layer) {
        List<String> names = new ArrayList<>();
        for (var v : sd.variables()) {
            if (v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE && v.name().endsWith("_W")) {
                names.add(SameDiffStep.layer(v.name()));
            }
        }
        int k = 0;
        for (int i = 0; i < net.getLayers().length; i++) {
            if (net.getLayer(i).numParams() > 0 && names.get(k++).equals(layer)) {
                return i;
            }
        }
        throw new AssertionError("no DL4J layer for " + layer);
    }

    /** The Newton-type rules' gradient oracle: the same gradients at a point away from θ, in the same order. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = ModelKind.class, names = {"LENET", "RESNET"})
    void theGradientOraclesAgreeAwayFromTheParameters(ModelKind kind) {
        boolean colour = kind == ModelKind.RESNET;
        int c = colour ? 3 : 1, hw = colour ? 32 : 28;
        org.deeplearning4j.nn.api.Model net = Models.build(kind, c, hw, hw, 10, new org.nd4j.linalg.learning.config.Sgd(0), 8);
        SameDiffStep step = new SameDiffStep(SameDiffModels.build(kind, c, hw, hw, 10, 8), SameDiffModels.LOSS,
                SameDiffModels.parameters(kind), Lbfgs.defaults(), 1);
        DataSet batch = colour ? colourBatches().get(0) : Batches.epoch(MnistSubset.train(), 64, 1, 1).get(0);
        Dl4jOracleStep dl4j = Dl4jOracleStep.of(net, Lbfgs.defaults(), 1);
        double[] at = net.params().toDoubleVector();
        java.util.SplittableRandom r = new java.util.SplittableRandom(2);
        for (int i = 0; i < at.length; i++) {
            at[i] = (float) (at[i] + 0.01 * r.nextGaussian());
        }
        double[] expected = new double[at.length], actual = new double[at.length];
        double lossDl4j, lossSd;
        try (Dl4jOracleStep.BatchOracle o = dl4j.oracle(batch)) {
            lossDl4j = o.gradient(at, expected);
        }
        lossSd = step.oracle(batch.getFeatures(), batch.getLabels()).gradient(at, actual);
        assertEquals(lossDl4j, lossSd, 1e-5 * lossDl4j, "the loss at the point");
        double diff = 0, norm = 0;
        for (int i = 0; i < at.length; i++) {
            diff += (expected[i] - actual[i]) * (expected[i] - actual[i]);
            norm += expected[i] * expected[i];
        }
        assertTrue(Math.sqrt(diff / norm) < 1e-4, kind + ": relative difference of the gradients " + Math.sqrt(diff / norm));
    }

    @Test
    void theOracleSeesConvolutionKernelsTogetherAndTheNewtonTypeRulesTrain() throws Exception {
        SameDiff sd = SameDiffModels.lenet(1, 28, 28, 10, 5);
        INDArray w = sd.getArrForVarName("c2_W"); // [kH, kW, in, out]
        for (int o = 0; o < 16; o++) {
            for (int i = 0; i < 6; i++) {
                for (int y = 0; y < 5; y++) {
                    for (int x = 0; x < 5; x++) {
                        w.putScalar(new long[] {y, x, i, o}, o * 100 + i);
                    }
                }
            }
        }
        for (Rule rule : List.<Rule>of(AdaHessian.defaults(), NystromSgd.defaults())) {
            SameDiff g = SameDiffModels.lenet(1, 28, 28, 10, 5);
            g.getArrForVarName("c2_W").assign(w);
            SameDiffStep step = new SameDiffStep(g, SameDiffModels.LOSS, rule, 1);
            double[] theta = step.oracleVector();
            int from = 5 * 5 * 1 * 6 + 6 + 16; // after c1's bias and weights and c2's bias (DL4J's order)
            for (int k = 0; k < 16 * 6; k++) {
                for (int j = 0; j < 25; j++) {
                    assertEquals((k / 6) * 100 + k % 6, theta[from + 25 * k + j], "kernel " + k + " position " + j);
                }
            }
            step.setOracleVector(theta);
            assertEquals(w, g.getArrForVarName("c2_W"), "the oracle's order round trip");
        }
        for (Rule rule : List.<Rule>of(AdaHessian.defaults(), NystromSgd.defaults(), Lbfgs.defaults())) {
            SameDiff g = SameDiffModels.mlp(1, 28, 28, 10, 5);
            SameDiffStep step = new SameDiffStep(g, SameDiffModels.LOSS, rule, 1);
            List<DataSet> batches = Batches.epoch(MnistSubset.train(), 64, 1, 1);
            double first = step.step(batches.get(0).getFeatures(), batches.get(0).getLabels(), 0);
            double last = first;
            for (DataSet b : batches.subList(1, Math.min(20, batches.size()))) {
                last = step.step(b.getFeatures(), b.getLabels(), 0);
            }
            assertTrue(last < 0.7 * first, rule + ": loss " + first + " -> " + last);
            assertTrue(step.gradientEvaluations() > step.steps(), rule + " evaluates extra gradients: "
                    + step.gradientEvaluations() + " in " + step.steps() + " steps");
        }
    }

    @Test
    void aCheckpointRestoresTheStepExactlyAndRefusesAnotherRule() throws Exception {
        for (Rule rule : List.<Rule>of(Rules.all().get("sofim-PAPER-FULL"), AdaHessian.defaults())) {
            List<DataSet> batches = Batches.epoch(MnistSubset.train(), 64, 1, 1).subList(0, 6);
            SameDiff a = SameDiffModels.mlp(1, 28, 28, 10, 5);
            SameDiffStep straight = new SameDiffStep(a, SameDiffModels.LOSS, rule, 1);
            SameDiff b = SameDiffModels.mlp(1, 28, 28, 10, 5);
            SameDiffStep first = new SameDiffStep(b, SameDiffModels.LOSS, rule, 1);
            for (int k = 0; k < 6; k++) {
                straight.step(batches.get(k).getFeatures(), batches.get(k).getLabels(), 0);
                if (k < 3) {
                    first.step(batches.get(k).getFeatures(), batches.get(k).getLabels(), 0);
                }
            }
            byte[] saved = first.toBytes();
            SameDiff c = SameDiffModels.mlp(1, 28, 28, 10, 77);
            SameDiffStep resumed = new SameDiffStep(c, SameDiffModels.LOSS, rule, 1);
            resumed.read(new ByteArrayInputStream(saved), "test");
            for (int k = 3; k < 6; k++) {
                resumed.step(batches.get(k).getFeatures(), batches.get(k).getLabels(), 0);
            }
            assertEquals(straight.steps(), resumed.steps());
            assertEquals(straight.gradientEvaluations(), resumed.gradientEvaluations());
            for (String v : List.of("d1_W", "d1_b", "d2_W", "out_W", "out_b")) {
                assertArrayEquals(a.getArrForVarName(v).data().asFloat(), c.getArrForVarName(v).data().asFloat(), rule + " " + v);
            }
            SameDiffStep other = new SameDiffStep(SameDiffModels.mlp(1, 28, 28, 10, 5), SameDiffModels.LOSS,
                    Rules.all().get("adam"), 1);
            var e = assertThrows(java.io.IOException.class, () -> other.read(new ByteArrayInputStream(saved), "cp.bin"));
            assertTrue(e.getMessage().contains("cp.bin was written for"), e.getMessage());
            var cut = assertThrows(java.io.IOException.class, () -> new SameDiffStep(SameDiffModels.mlp(1, 28, 28, 10, 5),
                    SameDiffModels.LOSS, rule, 1).read(new ByteArrayInputStream(java.util.Arrays.copyOf(saved, saved.length / 2)), "half.bin"));
            assertTrue(cut.getMessage().contains("half.bin is cut short"), cut.getMessage());
        }
    }

    /** Two batches of 16 random 3×32×32 images with labels (the ResNet's input). */
    private static List<DataSet> colourBatches() {
        var rng = org.nd4j.linalg.factory.Nd4j.getRandomFactory().getNewRandomInstance(4);
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < 2; b++) {
            INDArray x = org.nd4j.linalg.factory.Nd4j.rand(rng, 16, 3 * 32 * 32).castTo(DataType.FLOAT);
            INDArray y = org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 16, 10);
            for (int i = 0; i < 16; i++) {
                y.putScalar(i, (i * 3 + b) % 10, 1f);
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }

    /** DL4J's parameters into the graph's variables: layers with parameters in order, onto {@code <layer>_W/_b}. */
    private static void copy(org.deeplearning4j.nn.api.Model net, SameDiff sd) {
        for (INDArray[] p : pairs(net, sd)) {
            p[1].assign(p[0]);
        }
    }

    /** (DL4J view in SameDiff's shape, SameDiff array) for every parameter tensor. */
    private static List<INDArray[]> pairs(org.deeplearning4j.nn.api.Model net, SameDiff sd) {
        List<INDArray[]> out = new ArrayList<>();
        for (var v : sd.variables()) {
            if (v.getVariableType() != org.nd4j.autodiff.samediff.VariableType.VARIABLE) {
                continue;
            }
            String layer = SameDiffStep.layer(v.name());
            String param = v.name().substring(layer.length() + 1);
            INDArray dl4j = net instanceof MultiLayerNetwork m ? m.getLayer(layerIndex(m, sd, layer)).getParam(param)
                    : ((org.deeplearning4j.nn.graph.ComputationGraph) net).getLayer(layer).getParam(param);
            INDArray mine = v.getArr();
            out.add(new INDArray[] {dl4j.rank() == 4 ? dl4j.permute(2, 3, 1, 0) : dl4j.reshape(mine.shape()), mine});
        }
        assertEquals(net.numParams(), out.stream().mapToLong(p -> p[1].length()).sum(), "every parameter has a twin");
        return out;
    }
}
