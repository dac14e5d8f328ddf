package dev.sofim.optim.tribuo;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import dev.sofim.experiment.TribuoData;
import dev.sofim.optim.NonFiniteGradientException;
import dev.sofim.optim.Scope;
import dev.sofim.optim.Sofim;
import dev.sofim.optim.Variant;
import dev.sofim.testdata.MnistSubset;
import org.junit.jupiter.api.Test;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.LinearParameters;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.Tensor;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TribuoSofimTest {
    private static final Sofim RULE = new Sofim(0.5, 0.9, 10.0, Variant.FULL, Scope.GLOBAL, 1e-4,
            dev.sofim.optim.LearningRateSchedule.constant());

    private static LinearSGDTrainer trainer(int minibatch) {
        return new LinearSGDTrainer(new LogMulticlass(), new TribuoSofim(RULE, minibatch), 3, -1, minibatch, 17L);
    }

    @Test
    void linearSgdTrainerLearnsMnistAndRecordsEveryHyperparameter() {
        MutableDataset<Label> train = TribuoData.dataset(MnistSubset.train(), "MNIST first 2000");
        MutableDataset<Label> test = TribuoData.dataset(MnistSubset.test(), "MNIST test first 1000");
        Model<Label> model = trainer(16).train(train);
        double accuracy = new LabelEvaluator().evaluate(model, test).accuracy();
        assertTrue(accuracy > 0.8, "Tribuo linear model with SOFIM: test accuracy " + accuracy);

        Map<String, Provenance> trainerParams = model.getProvenance().getTrainerProvenance().getConfiguredParameters();
        ConfiguredObjectProvenance optimiser = (ConfiguredObjectProvenance) trainerParams.get("optimiser");
        assertEquals(TribuoSofim.class.getName(), optimiser.getClassName());
        Map<String, Provenance> p = optimiser.getConfiguredParameters();
        assertEquals("0.5", p.get("learningRate").toString());
        assertEquals("0.9", p.get("beta").toString());
        assertEquals("10.0", p.get("rho").toString());
        assertEquals("FULL", p.get("variant").toString());
        assertEquals("GLOBAL", p.get("scope").toString());
        assertEquals("1.0E-4", p.get("weightDecay").toString());
        assertEquals("16", p.get("minibatchSize").toString());
    }

    @Test
    void provenanceRoundTripsThroughOlcutConfiguration() {
        MutableDataset<Label> train = TribuoData.dataset(MnistSubset.train().head(200), "MNIST first 200");
        Model<Label> model = trainer(8).train(train);
        var configs = ProvenanceUtil.extractConfiguration(model.getProvenance());
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(configs);
        LinearSGDTrainer rebuilt = (LinearSGDTrainer) cm.lookupAll(LinearSGDTrainer.class).get(0);
        String expected = new TribuoSofim(RULE, 8).toString();
        assertTrue(rebuilt.toString().contains(expected), rebuilt.toString());
        Model<Label> again = rebuilt.train(train);
        assertEquals(model.getProvenance().getTrainerProvenance().toString().replaceAll("train-invocation-count=\\d+", ""),
                again.getProvenance().getTrainerProvenance().toString().replaceAll("train-invocation-count=\\d+", ""));
    }

    @Test
    void copyKeepsEverySettingAndStartsFresh() {
        TribuoSofim opt = new TribuoSofim(RULE, 4);
        LinearParameters params = new LinearParameters(3, 2);
        opt.initialise(params);
        opt.step(new Tensor[] {new DenseMatrix(2, 3)}, 1.0);
        TribuoSofim copy = opt.copy();
        assertEquals(opt.rule(), copy.rule());
        assertEquals(opt.toString(), copy.toString());
        assertEquals(1, opt.steps());
        assertEquals(0, copy.steps());
    }

    @Test
    void nanGradientLeavesParametersUntouched() {
        TribuoSofim opt = new TribuoSofim(RULE, 1);
        LinearParameters params = new LinearParameters(3, 2);
        opt.initialise(params);
        DenseMatrix u = new DenseMatrix(2, 3);
        u.set(0, 0, 0.5);
        params.update(opt.step(new Tensor[] {u}, 1.0));
        DenseMatrix before = ((DenseMatrix) params.get()[0]).copy();
        DenseMatrix bad = new DenseMatrix(2, 3);
        bad.set(1, 2, Double.NaN);
        NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class,
                () -> opt.step(new Tensor[] {bad}, 1.0));
        assertEquals(2, e.step());
        assertEquals(before, params.get()[0]);
        assertEquals(1, opt.steps());
    }

    @Test
    void invalidMinibatchSizeIsRejected() {
        PropertyException e = assertThrows(PropertyException.class, () -> new TribuoSofim(RULE, 0));
        assertTrue(e.getMessage().contains("minibatchSize") && e.getMessage().contains("0"), e.getMessage());
    }
}
