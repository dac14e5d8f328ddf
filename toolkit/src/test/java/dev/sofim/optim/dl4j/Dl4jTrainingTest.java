package dev.sofim.optim.dl4j;

import dev.sofim.experiment.Batches;
import dev.sofim.experiment.Scores;
import dev.sofim.models.ModelKind;
import dev.sofim.models.Models;
import dev.sofim.optim.NonFiniteGradientException;
import dev.sofim.optim.Sofim;
import dev.sofim.testdata.MnistSubset;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.File;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A DL4J MLP trained with SOFIM on 2,000 real MNIST digits. */
class Dl4jTrainingTest {

    private static MultiLayerNetwork mlp() {
        return (MultiLayerNetwork) Models.build(ModelKind.MLP, 1, 28, 28, 10, new Dl4jSofim(Sofim.defaults()), 42);
    }

    private static void epoch(MultiLayerNetwork net, int e) {
        for (DataSet b : Batches.epoch(MnistSubset.train(), 64, 7, e)) {
            net.fit(b);
        }
    }

    @Test
    void sofimMlpLearnsMnist() {
        MultiLayerNetwork net = mlp();
        DataSet test = Batches.all(MnistSubset.test());
        double before = Scores.of(net, test).accuracy();
        for (int e = 0; e < 3; e++) {
            epoch(net, e);
        }
        Scores after = Scores.of(net, test);
        assertTrue(before < 0.2, "untrained accuracy " + before);
        assertTrue(after.accuracy() > 0.8, "test accuracy after 3 epochs: " + after);
    }

    @Test
    void savedAndRestoredNetworkContinuesIdentically(@TempDir Path dir) throws Exception {
        MultiLayerNetwork uninterrupted = mlp();
        MultiLayerNetwork first = mlp();
        for (int e = 0; e < 2; e++) {
            epoch(uninterrupted, e);
            epoch(first, e);
        }
        File file = dir.resolve("mlp.zip").toFile();
        ModelSerializer.writeModel(first, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(first.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
        assertEquals(first.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());

        epoch(uninterrupted, 2);
        epoch(restored, 2);
        assertEquals(uninterrupted.params(), restored.params(), "parameters after the resumed epoch");
        assertEquals(uninterrupted.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
    }

    @Test
    void nanGradientLeavesNetworkUntouched() {
        MultiLayerNetwork net = mlp();
        epoch(net, 0);
        INDArray params = net.params().dup();
        INDArray state = net.getUpdater().getStateViewArray().dup();
        DataSet bad = Batches.epoch(MnistSubset.train(), 64, 7, 1).get(0);
        bad.getFeatures().putScalar(0, 3, Double.NaN);
        NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class, () -> net.fit(bad));
        assertTrue(e.getMessage().contains("Non-finite gradient at step"), e.getMessage());
        assertEquals(params, net.params());
        assertEquals(state, net.getUpdater().getStateViewArray());
    }
}
