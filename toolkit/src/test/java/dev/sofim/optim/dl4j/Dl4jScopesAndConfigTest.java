package dev.sofim.optim.dl4j;

import dev.sofim.experiment.Batches;
import dev.sofim.models.ModelKind;
import dev.sofim.models.Models;
import dev.sofim.optim.Adam;
import dev.sofim.optim.CoreOptimizer;
import dev.sofim.optim.Reading;
import dev.sofim.optim.Scope;
import dev.sofim.optim.Sgd;
import dev.sofim.optim.Sofim;
import dev.sofim.optim.Variant;
import dev.sofim.testdata.MnistSubset;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Dl4jScopesAndConfigTest {

    static Stream<IUpdater> updaters() {
        List<IUpdater> list = new ArrayList<>();
        for (Reading r : Reading.values()) {
            for (Variant v : Variant.values()) {
                for (Scope s : Scope.values()) {
                    list.add(new Dl4jSofim(Sofim.of(v).withReading(r).withScope(s)
                            .withRho(v == Variant.NO_REGULARIZATION ? 0 : 3.5).withBeta(0.8).withLearningRate(0.7)));
                }
            }
        }
        list.add(Dl4jSofim.defaults().withSchedule(new ExponentialSchedule(ScheduleType.EPOCH, 0.5, 0.9)));
        list.add(Dl4jSofim.defaults().withBlock("custom"));
        list.add(new Dl4jSgd(Sgd.nesterov(0.02, 0.8)));
        list.add(new Dl4jSgd(Sgd.plain(0.3)));
        list.add(new Dl4jAdam(Adam.defaults().withLearningRate(0.004)));
        return list.stream();
    }

    @ParameterizedTest
    @MethodSource("updaters")
    void jsonRoundTripKeepsEverySetting(IUpdater updater) {
        MultiLayerConfiguration conf = Models.sequential(ModelKind.MLP, 1, 4, 4, 3, updater, 1);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        IUpdater restored = ((org.deeplearning4j.nn.conf.layers.BaseLayer) back.getConf(0).getLayer()).getIUpdater();
        assertEquals(updater, restored);
        assertEquals(updater.hashCode(), restored.hashCode());
        assertEquals(updater.toString(), restored.toString());
        IUpdater clone = updater.clone();
        assertEquals(updater, clone);
        assertNotEquals(clone, new Dl4jSofim(Sofim.defaults().withLearningRate(123)));
    }

    @Test
    void readingsAreDistinctConfigs() {
        for (Reading r : Reading.values()) {
            for (Reading other : Reading.values()) {
                Dl4jSofim a = new Dl4jSofim(Sofim.of(r)), b = new Dl4jSofim(Sofim.of(other));
                assertEquals(r == other, a.equals(b), r + " vs " + other);
            }
        }
        assertEquals(Reading.PAPER, Dl4jSofim.defaults().getReading());
    }

    /** DL4J JSON written before readings existed has no "reading" field: it is read as the rule it was run with. */
    @Test
    void jsonWithoutReadingIsTheLegacyGradientReading() {
        var conf = Models.sequential(ModelKind.MLP, 1, 4, 4, 3, new Dl4jSofim(Sofim.of(Reading.GRADIENT)), 1);
        String json = conf.toJson();
        String legacy = json.replaceAll("\"reading\"\\s*:\\s*\"GRADIENT\"\\s*,?", "");
        assertNotEquals(json, legacy);
        assertTrue(!legacy.contains("reading"), legacy);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(legacy);
        Dl4jSofim restored = (Dl4jSofim) ((org.deeplearning4j.nn.conf.layers.BaseLayer) back.getConf(0).getLayer()).getIUpdater();
        assertEquals(Sofim.LEGACY_READING, restored.getReading());
        assertEquals(new Dl4jSofim(Sofim.of(Reading.GRADIENT)), restored);
    }

    private static int blocks(MultiLayerNetwork net) {
        return ((BaseMultiLayerUpdater<?>) net.getUpdater(true)).getUpdaterBlocks().size();
    }

    @ParameterizedTest
    @EnumSource(Scope.class)
    void scopeBecomesDl4jBlockGrouping(Scope scope) {
        MultiLayerNetwork net = (MultiLayerNetwork) Models.build(ModelKind.MLP, 1, 28, 28, 10,
                new Dl4jSofim(Sofim.defaults().withScope(scope)), 3);
        assertEquals(switch (scope) {
            case GLOBAL -> 1;
            case PER_LAYER -> 3;
            case PER_TENSOR -> 6;
        }, blocks(net));
    }

    /** One fit step equals the core rule on DL4J's own gradient, with the blocks the scope implies. */
    @ParameterizedTest
    @EnumSource(Scope.class)
    void stepMatchesCoreWithScopeBlocks(Scope scope) {
        Sofim rule = Sofim.defaults().withScope(scope).withLearningRate(0.5);
        MultiLayerNetwork net = (MultiLayerNetwork) Models.build(ModelKind.MLP, 1, 28, 28, 10, new Dl4jSofim(rule), 3);
        DataSet batch = Batches.epoch(MnistSubset.train(), 32, 1, 0).get(0);
        net.setInput(batch.getFeatures());
        net.setLabels(batch.getLabels());
        net.computeGradientAndScore();
        // computeGradientAndScore gives the minibatch sum; DL4J's updater divides by the batch size.
        double[] g = net.gradient().gradient().castTo(DataType.DOUBLE).div(batch.numExamples()).toDoubleVector();
        double[] theta = net.params().castTo(DataType.DOUBLE).toDoubleVector();
        net.fit(batch);
        double[] after = net.params().castTo(DataType.DOUBLE).toDoubleVector();

        int[] bounds = switch (scope) {
            case GLOBAL -> new int[] {0, g.length};
            case PER_LAYER -> boundaries(net, false);
            case PER_TENSOR -> boundaries(net, true);
        };
        CoreOptimizer core = new CoreOptimizer(rule, bounds);
        core.step(theta, g);
        for (int i = 0; i < theta.length; i++) {
            assertEquals(theta[i], after[i], 2e-5 * Math.max(1, Math.abs(theta[i])), "parameter " + i);
        }
    }

    private static int[] boundaries(MultiLayerNetwork net, boolean perTensor) {
        List<Integer> b = new ArrayList<>(List.of(0));
        for (var layer : net.getLayers()) {
            for (var e : layer.paramTable().entrySet()) {
                if (perTensor || e.getKey().equals("b")) {
                    b.add(b.get(b.size() - 1) + (int) e.getValue().length() + (perTensor ? 0 : sizeOf(layer, "W")));
                }
            }
        }
        return b.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int sizeOf(org.deeplearning4j.nn.api.Layer layer, String param) {
        return (int) layer.paramTable().get(param).length();
    }

    @Test
    void globalScopeRejectsSplitGrouping() {
        var conf = new NeuralNetConfiguration.Builder().seed(1).updater(Dl4jSofim.defaults()).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3)
                        .activation(Activation.SOFTMAX).updater(new Dl4jSofim(Sofim.defaults().withLearningRate(1)))
                        .build())
                .build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Dl4jScopes.network(conf));
        assertTrue(e.getMessage().contains("Scope GLOBAL") && e.getMessage().contains("2 updater blocks"), e.getMessage());
    }

    @Test
    void computationGraphTrainsWithOneGlobalBlock() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(5)
                .updater(Dl4jSofim.defaults()).graphBuilder().addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(784).nOut(64).activation(Activation.RELU).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(64).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out").build();
        ComputationGraph graph = Dl4jScopes.graph(conf);
        assertEquals(1, graph.getUpdater().getUpdaterBlocks().size());
        DataSet all = Batches.all(MnistSubset.train());
        double before = graph.score(all);
        for (int e = 0; e < 2; e++) {
            for (DataSet b : Batches.epoch(MnistSubset.train(), 64, 3, e)) {
                graph.fit(b);
            }
        }
        double after = graph.score(all);
        assertTrue(after < 0.5 * before, "graph loss " + before + " -> " + after);
    }

    @Test
    void toStringShowsEveryHyperparameter() {
        String s = new Dl4jSofim(Sofim.defaults().withScope(Scope.PER_LAYER)).withBlock("layer2").toString();
        for (String f : new String[] {"learningRate=" + Sofim.DEFAULT_LEARNING_RATE, "beta=0.9", "rho=" + Sofim.DEFAULT_RHO, "reading=PAPER", "variant=FULL", "scope=PER_LAYER",
                "block=layer2"}) {
            assertTrue(s.contains(f), s);
        }
    }

    @Test
    void restoredUpdaterStateMatches() {
        Dl4jSofim cfg = Dl4jSofim.defaults();
        INDArray view = org.nd4j.linalg.factory.Nd4j.rand(DataType.FLOAT, 1, 6);
        var u = cfg.instantiate(view.dup(), false);
        var copy = cfg.instantiate(u.getState(), false);
        assertEquals(u.getState(), copy.getState());
    }
}
