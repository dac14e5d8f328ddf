package dev.sofim.optim.tribuo;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import dev.sofim.experiment.TribuoData;
import dev.sofim.optim.NonFiniteGradientException;
import dev.sofim.optim.Reading;
import dev.sofim.optim.Scope;
import dev.sofim.optim.Sofim;
import dev.sofim.optim.Variant;
import dev.sofim.testdata.MnistSubset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
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
    private static final Sofim RULE = new Sofim(0.5, 0.9, 10.0, Reading.PAPER, Variant.FULL, Scope.GLOBAL, 1e-4,
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

    @ParameterizedTest
    @EnumSource(Reading.class)
    void provenanceRoundTripsThroughOlcutConfiguration(Reading reading) {
        MutableDataset<Label> train = TribuoData.dataset(MnistSubset.train().head(200), "MNIST first 200");
        Sofim rule = RULE.withReading(reading);
        Model<Label> model = new LinearSGDTrainer(new LogMulticlass(), new TribuoSofim(rule, 8), 3, -1, 8, 17L).train(train);
        var configs = ProvenanceUtil.extractConfiguration(model.getProvenance());
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(configs);
        LinearSGDTrainer rebuilt = (LinearSGDTrainer) cm.lookupAll(LinearSGDTrainer.class).get(0);
        String expected = new TribuoSofim(rule, 8).toString();
        assertTrue(rebuilt.toString().contains(expected), rebuilt.toString());
        assertTrue(rebuilt.toString().contains("reading=" + reading), rebuilt.toString());
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

    /** An update of another shape, or one update too many, is rejected naming the shapes; nothing is stepped. */
    @Test
    void updatesOfTheWrongShapeAreRejected() {
        TribuoSofim opt = new TribuoSofim(RULE, 1);
        LinearParameters params = new LinearParameters(3, 2);
        opt.initialise(params);
        var wrong = assertThrows(IllegalArgumentException.class, () -> opt.step(new Tensor[] {new DenseMatrix(3, 2)}, 1.0));
        assertTrue(wrong.getMessage().contains("update tensor 0 has shape [3, 2]; its parameter tensor has shape [2, 3]"),
                wrong.getMessage());
        var two = assertThrows(IllegalArgumentException.class,
                () -> opt.step(new Tensor[] {new DenseMatrix(2, 3), new DenseMatrix(2, 3)}, 1.0));
        assertTrue(two.getMessage().contains("2 update tensors for 1 parameter tensors"), two.getMessage());
        assertEquals(0, opt.steps());
    }

    /** An OLCUT config with an unknown reading is rejected naming the value and the valid readings. */
    @Test
    void unknownReadingInAnOlcutConfigIsRejected(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path xml = dir.resolve("sofim.xml");
        java.nio.file.Files.writeString(xml, """
                <?xml version="1.0" encoding="UTF-8"?>
                <config>
                  <component name="opt" type="dev.sofim.optim.tribuo.TribuoSofim">
                    <property name="reading" value="fisher"/>
                    <property name="minibatchSize" value="4"/>
                  </component>
                </config>
                """);
        ConfigurationManager cm = new ConfigurationManager(xml.toString());
        PropertyException e = assertThrows(PropertyException.class, () -> cm.lookup("opt"));
        assertTrue(e.getMessage().contains("'fisher'") && e.getMessage().contains("[PAPER, GRADIENT, PRECONDITIONED_GRADIENT]"),
                e.getMessage());
        java.nio.file.Files.writeString(xml, java.nio.file.Files.readString(xml).replace("fisher", "GRADIENT"));
        TribuoSofim ok = (TribuoSofim) new ConfigurationManager(xml.toString()).lookup("opt");
        assertEquals(Reading.GRADIENT, ok.rule().reading());
    }

    @Test
    void invalidMinibatchSizeIsRejected() {
        PropertyException e = assertThrows(PropertyException.class, () -> new TribuoSofim(RULE, 0));
        assertTrue(e.getMessage().contains("minibatchSize") && e.getMessage().contains("0"), e.getMessage());
    }
}
