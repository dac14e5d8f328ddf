package dev.sofim.optim.dl4j;

import dev.sofim.experiment.Batches;
import dev.sofim.optim.Scope;
import dev.sofim.optim.Sofim;
import dev.sofim.testdata.MnistSubset;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SOFIM in a SameDiff TrainingConfig: one updater per variable, so per-tensor scope. */
class SameDiffTest {

    private static SameDiff logisticRegression() {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.FLOAT, -1, 784);
        SDVariable label = sd.placeHolder("label", DataType.FLOAT, -1, 10);
        SDVariable w = sd.var("w", Nd4j.rand(DataType.FLOAT, 784, 10).subi(0.5).muli(0.01));
        SDVariable b = sd.var("b", Nd4j.zeros(DataType.FLOAT, 1, 10));
        SDVariable logits = in.mmul(w).add(b);
        sd.loss.softmaxCrossEntropy("loss", label, logits, null);
        return sd;
    }

    private static TrainingConfig config(Scope scope) {
        return TrainingConfig.builder().updater(new Dl4jSofim(Sofim.defaults().withScope(scope)))
                .dataSetFeatureMapping("in").dataSetLabelMapping("label").build();
    }

    @Test
    void trainsWithPerTensorScope() {
        Nd4j.getRandom().setSeed(3);
        SameDiff sd = logisticRegression();
        TrainingConfig cfg = config(Scope.PER_TENSOR);
        Dl4jScopes.checkSameDiff(sd, cfg);
        sd.setTrainingConfig(cfg);
        DataSet all = Batches.all(MnistSubset.train());
        Map<String, org.nd4j.linalg.api.ndarray.INDArray> ph = Map.of("in", all.getFeatures(), "label", all.getLabels());
        double before = sd.outputSingle(ph, "loss").getDouble(0);
        for (int e = 0; e < 2; e++) {
            for (DataSet batch : Batches.epoch(MnistSubset.train(), 64, 5, e)) {
                sd.fit(batch);
            }
        }
        double after = sd.outputSingle(ph, "loss").getDouble(0);
        assertTrue(after < 0.5 * before, "SameDiff loss " + before + " -> " + after);
    }

    @Test
    void globalScopeIsRejectedForSeveralVariables() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dl4jScopes.checkSameDiff(logisticRegression(), config(Scope.GLOBAL)));
        assertTrue(e.getMessage().contains("PER_TENSOR"), e.getMessage());
    }
}
