package dev.sofim.experiment;

import dev.sofim.data.Dataset;
import dev.sofim.data.DataOptions;
import dev.sofim.models.ModelKind;
import dev.sofim.optim.Reading;
import dev.sofim.optim.Scope;
import dev.sofim.optim.Sofim;
import dev.sofim.optim.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Experiment configs: every optimizer type and variant round-trips; bad configs name what is wrong. */
class ConfigJsonTest {

    static ExperimentConfig everything() {
        List<OptimizerSpec> opts = new ArrayList<>();
        for (Reading r : Reading.values()) {
            for (Variant v : Variant.values()) {
                for (Scope s : Scope.values()) {
                    Map<String, Object> m = new HashMap<>(Map.of("learningRate", 0.7, "beta", 0.8, "rho", 3.0,
                            "reading", r.name(), "variant", v.name(), "scope", s.name()));
                    opts.add(OptimizerSpec.of("sofim-" + r + "-" + v + "-" + s, "sofim", m));
                }
            }
        }
        opts.add(OptimizerSpec.of("sgd", "sgd", Map.of("learningRate", 0.1, "momentum", 0.0)));
        opts.add(OptimizerSpec.of("momentum", "sgd", Map.of("learningRate", 0.05, "momentum", 0.9)));
        opts.add(OptimizerSpec.of("nesterov", "nesterov", Map.of("learningRate", 0.05, "momentum", 0.95)));
        opts.add(OptimizerSpec.of("adam", "adam", Map.of("learningRate", 3e-4, "beta1", 0.8, "beta2", 0.99, "epsilon", 1e-7)));
        opts.add(OptimizerSpec.of("adahessian", "adahessian", Map.of("learningRate", 0.2, "beta1", 0.8, "beta2", 0.99,
                "epsilon", 1e-3, "hessianPower", 0.5, "hessianInterval", 3.0, "spatialAveraging", false)));
        opts.add(OptimizerSpec.of("lbfgs", "lbfgs", Map.of("learningRate", 0.3, "history", 7.0, "curvatureEpsilon", 1e-6,
                "lineSearch", true)));
        opts.add(OptimizerSpec.of("nystrom", "nystrom-sgd", Map.of("learningRate", 0.4, "rank", 12.0,
                "refreshInterval", 5.0, "rho", 0.3)));
        // every built-in schedule's config form
        opts.add(OptimizerSpec.of("sgd-warmup-cosine", dev.sofim.optim.Sgd.momentum(0.1, 0.9)
                .withSchedule(dev.sofim.optim.LearningRateSchedule.warmupCosine(4690, 0.02, 0.0))));
        opts.add(OptimizerSpec.of("adam-cosine", dev.sofim.optim.Adam.defaults()
                .withSchedule(dev.sofim.optim.LearningRateSchedule.cosine(900, 0.1))));
        opts.add(OptimizerSpec.of("sofim-step-decay", dev.sofim.optim.Sofim.of(Variant.NO_FISHER)
                .withSchedule(dev.sofim.optim.LearningRateSchedule.stepDecay(0.5, 2))));
        return new ExperimentConfig("all-optimizers", Dataset.FASHION_MNIST, "/data/x",
                new DataOptions(1000, 100, 500, 7, DataOptions.Normalization.STANDARDIZE), ModelKind.LENET, 4, 32,
                List.of(1L, 2L, 3L), opts, new Targets(0.1, 0.2, 0.9), true, ExperimentConfig.EvaluateOn.VALIDATION);
    }

    @Test
    void everyOptimizerAndVariantRoundTrips() {
        ExperimentConfig c = everything();
        String json = ConfigJson.toJson(c);
        ExperimentConfig back = ConfigJson.parse(json);
        assertEquals(c, back);
        assertEquals(json, ConfigJson.toJson(back));
    }

    @Test
    void badSchedulesNameWhatIsWrong() {
        String base = "{\"name\":\"x\",\"dataset\":\"mnist\",\"model\":\"mlp\",\"epochs\":1,\"batchSize\":8,"
                + "\"seeds\":[1],\"optimizers\":[{\"name\":\"s\",\"type\":\"sgd\",\"schedule\":%s}]}";
        java.util.function.Function<String, String> error = sched -> org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> ConfigJson.parse(String.format(base, sched))).getMessage();
        assertTrue(error.apply("{\"type\":\"linear\"}").contains("schedule type 'linear' is unknown"));
        assertTrue(error.apply("{\"type\":\"warmup-cosine\",\"totalSteps\":10,\"minFactor\":0}")
                .contains("missing key 'warmupSteps'"));
        assertTrue(error.apply("{\"type\":\"warmup-cosine\",\"warmupSteps\":10,\"totalSteps\":10,\"minFactor\":0}")
                .contains("warmupSteps"));
        assertTrue(error.apply("{\"type\":\"cosine\",\"totalSteps\":10,\"minFactor\":0,\"x\":1}")
                .contains("unknown key 'x'"));
        assertTrue(error.apply("\"cosine\"").contains("schedule must be an object"));
    }

    @Test
    void shippedExamplesParseAndRoundTrip() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("examples"))) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".json")).toList();
            assertTrue(files.size() >= 4, "example configs: " + files);
            for (Path f : files) {
                ExperimentConfig c = ConfigJson.read(f);
                assertEquals(c, ConfigJson.parse(ConfigJson.toJson(c)), f.toString());
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"epochz\": 3}|unknown key 'epochz'",
            "{\"type\": \"bfgs\"}|unknown type 'bfgs'; expected one of [adahessian, adam, lbfgs, nesterov, nystrom-sgd, sgd, sofim]",
            "{\"type\": \"nystrom-sgd\", \"rank\": 0}|NystromSgd: rank must be an integer >= 1, got 0",
            "{\"type\": \"nystrom-sgd\", \"refreshInterval\": -2}|NystromSgd: refreshInterval must be an integer >= 1, got -2",
            "{\"type\": \"nystrom-sgd\", \"rho\": -1}|NystromSgd: rho must be a finite number > 0, got -1.0",
            "{\"type\": \"nystrom-sgd\", \"rank\": 2.5}|optimizer 'o': rank must be a whole number, got '2.5'",
            "{\"type\": \"lbfgs\", \"history\": 4294967297}|optimizer 'o': history must be a whole number",
            "{\"type\": \"lbfgs\", \"history\": 0}|Lbfgs: history must be an integer >= 1, got 0",
            "{\"type\": \"lbfgs\", \"curvatureEpsilon\": 0}|Lbfgs: curvatureEpsilon must be a finite number > 0, got 0.0",
            "{\"type\": \"lbfgs\", \"lineSearch\": \"yes\"}|lineSearch must be true or false, got 'yes'",
            "{\"type\": \"adahessian\", \"epsilon\": 0}|AdaHessian: epsilon must be a finite number > 0, got 0.0",
            "{\"type\": \"adahessian\", \"hessianPower\": 1.5}|AdaHessian: hessianPower must be a number in (0, 1], got 1.5",
            "{\"type\": \"adahessian\", \"hessianInterval\": 0}|AdaHessian: hessianInterval must be an integer >= 1, got 0",
            "{\"type\": \"adahessian\", \"rho\": 1}|unknown setting 'rho' for type adahessian",
            "{\"beta\": 1.5}|beta",
            "{\"rho\": -1}|rho",
            "{\"learningRate\": \"fast\"}|learningRate must be a number",
            "{\"variant\": \"HALF\"}|HALF",
            "{\"reading\": \"fisher\"}|reading must be one of [PAPER, GRADIENT, PRECONDITIONED_GRADIENT], got 'fisher'",
            "{\"reading\": 3}|reading must be one of",
            "{\"momentm\": 0.9, \"type\": \"sgd\"}|unknown setting 'momentm'",
    })
    void badConfigsNameTheProblem(String patch, String expected) {
        String json = patch(patch);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigJson.parse(json));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void topLevelMistakes() {
        String ok = ConfigJson.toJson(everything());
        assertMessage(ok.replace("\"epochs\": 4", "\"epochs\": 0"), "epochs must be >= 1, got 0");
        assertMessage(ok.replace("\"epochs\": 4", "\"epochs\": 2.5"), "epochs must be a whole number");
        assertMessage(ok.replace("\"fashion-mnist\"", "\"imagenet\""), "unknown dataset 'imagenet'");
        assertMessage(ok.replace("\"lenet\"", "\"vgg\""), "unknown model 'vgg'");
        assertMessage(ok.replace("\"testAccuracy\": 0.9", "\"testAccuracy\": 98"), "testAccuracy must be in (0, 1]");
        assertMessage("{", "not valid JSON");
        assertMessage("", "empty config");
        assertMessage(ok.replace("\"epochs\": 4", "\"epochs\": 4294967297"), "epochs must be a whole number from -2147483648 to 2147483647, got 4294967297");
        assertMessage(ok.replace("\"epochs\": 4", "\"epochs\": 2147483648"), "epochs must be a whole number from");
        assertMessage(ok.replace("\"batchSize\": 32", "\"batchSize\": 1e40"), "batchSize must be a whole number from");
        assertMessage(ok.replace("\"trainSize\": 1000", "\"trainSize\": 3000000000"), "data.trainSize must be a whole number from");
        assertMessage(ok.replace("\"epochs\": 4", "\"epochs\": 4 /* four */"), "not valid JSON");
        assertMessage(ok.replace("\"epochs\": 4", "epochs: 4"), "not valid JSON");
        assertMessage(ok + " trailing", "not valid JSON");
        assertMessage("[1, 2]", "must be a JSON object");
        assertMessage(ok.replace("\"epochs\": 4", "\"epochs\": 4, \"divergenceFactor\": 0.5"),
                "divergenceFactor must be a number > 1 (or 0: no loss-explosion rule), got 0.5");
        ExperimentConfig custom = ConfigJson.parse(ok.replace("\"epochs\": 4", "\"epochs\": 4, \"divergenceFactor\": 20"));
        assertEquals(20, custom.divergenceFactor());
        assertEquals(custom, ConfigJson.parse(ConfigJson.toJson(custom)), "round trip");
        assertTrue(!ok.contains("divergenceFactor"), "the default is not written: older configs keep their text");
    }

    /** Both trainers round trip; a file without the key is DL4J (older configs keep their text and folder name). */
    @Test
    void theTrainerRoundTripsAndIsDl4jWhereAFileDoesNotSay() {
        ExperimentConfig sameDiff = everything();
        assertEquals(Trainer.SAMEDIFF, sameDiff.trainer(), "configs built in code default to the SameDiff trainer");
        String json = ConfigJson.toJson(sameDiff);
        assertTrue(json.contains("\"trainer\": \"samediff\""), json);
        ExperimentConfig dl4j = sameDiff.toBuilder().trainer(Trainer.DL4J).build();
        String old = ConfigJson.toJson(dl4j);
        assertTrue(!old.contains("trainer"), old);
        assertEquals(dl4j, ConfigJson.parse(old));
        assertEquals(json.replace("  \"trainer\": \"samediff\",\n", ""), old, "the DL4J text is the text before trainers");
        assertTrue(!Experiment.resultsFolder(dl4j).equals(Experiment.resultsFolder(sameDiff)), "a folder per trainer");
        assertMessage(json.replace("\"samediff\"", "\"pytorch\""), "trainer must be \"samediff\" or \"dl4j\", got 'pytorch'");
    }

    /** A Newton-type optimizer with only its type takes its reference defaults, and writes every knob. */
    @Test
    void newtonTypeOptimizersTakeTheirReferenceDefaults() {
        ExperimentConfig c = ConfigJson.parse(patch("{\"type\": \"adahessian\"}"));
        assertEquals(dev.sofim.optim.AdaHessian.defaults(), c.optimizers().get(0).rule());
        assertEquals(dev.sofim.optim.Lbfgs.defaults(), ConfigJson.parse(patch("{\"type\": \"lbfgs\"}")).optimizers().get(0).rule());
        ExperimentConfig ny = ConfigJson.parse(patch("{\"type\": \"nystrom-sgd\"}"));
        assertEquals(dev.sofim.optim.NystromSgd.defaults(), ny.optimizers().get(0).rule());
        assertEquals("nystrom-sgd", ny.optimizers().get(0).family());
        assertTrue(ConfigJson.toJson(ny).contains("\"refreshInterval\": 1,"), ConfigJson.toJson(ny));
        assertTrue(c.optimizers().get(0).usesOracle());
    }

    @Test
    void aFolderGivenAsConfigIsNamed(@org.junit.jupiter.api.io.TempDir Path dir) {
        var e = assertThrows(IllegalArgumentException.class, () -> ConfigJson.read(dir));
        assertTrue(e.getMessage().contains(dir + " is a folder; expected a JSON file"), e.getMessage());
    }

    @Test
    void aSofimOptimizerWithoutReadingIsThePaperReading() {
        ExperimentConfig c = ConfigJson.parse(patch("{\"rho\": 2}"));
        Sofim rule = (Sofim) c.optimizers().get(0).rule();
        assertEquals(Reading.PAPER, rule.reading());
        assertEquals("sofim-paper", c.optimizers().get(0).family());
        assertTrue(ConfigJson.toJson(c).contains("\"reading\": \"PAPER\""));
    }

    /** A results folder written before readings existed: its config means the GRADIENT reading, and says so when loaded. */
    @Test
    void legacyResultsFolderReadsAsTheGradientReading(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        String legacy = patch("{\"rho\": 2}");
        Files.writeString(dir.resolve("config.json"), legacy);
        Files.writeString(dir.resolve("run.json"), "{}");
        ExperimentConfig c = ConfigJson.read(dir.resolve("config.json"));
        assertEquals(Reading.GRADIENT, ((Sofim) c.optimizers().get(0).rule()).reading());
        assertTrue(Results.load(dir).table().contains("reading=GRADIENT"), Results.load(dir).table());
        // The same text outside a results folder is a new config: the paper reading.
        Files.writeString(dir.resolve("new.json"), legacy);
        assertEquals(Reading.PAPER, ((Sofim) ConfigJson.read(dir.resolve("new.json")).optimizers().get(0).rule()).reading());
        // Resuming the legacy folder with the config it means is accepted; with the paper reading it is refused.
        ResultsStore.open(dir, c);
        assertEquals(legacy, Files.readString(dir.resolve("config.json")), "the legacy config.json is kept as written");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResultsStore.open(dir, ConfigJson.parse(legacy)));
        assertTrue(e.getMessage().contains("another experiment"), e.getMessage());
    }

    /** The committed results of revision 1 load and name the reading they were computed with. */
    @Test
    void committedRevisionOneResultsAreLabelledGradient() throws IOException {
        Results r = Results.load(Path.of("benchmarks/mnist-lenet-full-rev1"));
        Sofim rule = (Sofim) r.config().optimizer("sofim").rule();
        assertEquals(Reading.GRADIENT, rule.reading());
        assertEquals(45, r.records().size());
        String md = r.markdown();
        assertTrue(md.contains("| sofim | learningRate 30.0, beta 0.9, rho 100.0, reading GRADIENT | 3.67 [3–4] | 3.67 [3–5] | 2.00 [2–2] |"),
                md);
        assertEquals(2 + 3, md.lines().count(), md);
    }

    @Test
    void evaluatingOnValidationNeedsAValidationSplit() {
        String json = ConfigJson.toJson(everything()).replace("\"validationSize\": 100", "\"validationSize\": 0");
        assertMessage(json, "evaluateOn VALIDATION needs data.validationSize > 0");
        assertMessage(ConfigJson.toJson(everything()).replace("\"validation\"", "\"train\""),
                "evaluateOn must be \"test\" or \"validation\", got 'train'");
    }

    @Test
    void environmentKnobsShrinkARun() {
        ExperimentConfig c = everything().withEnvironment(Map.of("SOFIM_EPOCHS", "1", "SOFIM_TRAIN_SIZE", "200",
                "SOFIM_SEEDS", "1"));
        assertEquals(1, c.epochs());
        assertEquals(200, c.data().trainSize());
        assertEquals(List.of(1L), c.seeds());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> everything().withEnvironment(Map.of("SOFIM_EPOCHS", "many")));
        assertTrue(e.getMessage().contains("SOFIM_EPOCHS=many"), e.getMessage());
    }

    private static void assertMessage(String json, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigJson.parse(json));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** A minimal valid config whose first optimizer gets the patch's keys merged in (or the top level for epochz). */
    private static String patch(String patch) {
        String base = "{\"name\": \"t\", \"dataset\": \"mnist\", \"model\": \"mlp\", \"epochs\": 1, \"batchSize\": 8, "
                + "\"seeds\": [1], \"optimizers\": [%s]}";
        if (patch.contains("epochz")) {
            return "{\"epochz\": 3, " + String.format(base, "{\"name\": \"o\", \"type\": \"sofim\"}").substring(1);
        }
        String inner = patch.substring(1, patch.length() - 1);
        String type = patch.contains("\"type\"") ? "" : "\"type\": \"sofim\", ";
        return String.format(base, "{\"name\": \"o\", " + type + inner + "}");
    }
}
