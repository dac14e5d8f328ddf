package dev.sofim.experiment;

import dev.sofim.data.DataOptions;
import dev.sofim.data.Dataset;
import dev.sofim.models.ModelKind;
import dev.sofim.optim.AdaHessian;
import dev.sofim.optim.Adam;
import dev.sofim.optim.Lbfgs;
import dev.sofim.optim.NystromSgd;
import dev.sofim.optim.Rule;
import dev.sofim.optim.Sgd;
import dev.sofim.optim.Sofim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The typed API: rule settings derived from the rule records, the config builder, grids and result helpers. */
class TypedApiTest {

    /** For every config type: settings are the record's components, each with a {@code with…} that changes only it. */
    @ParameterizedTest
    @EnumSource(RuleSchema.class)
    void everySettingOfEveryTypeRoundTripsAndHasAWither(RuleSchema schema) throws Exception {
        OptimizerSpec d = OptimizerSpec.of("d", schema.type, Map.of());
        assertEquals(schema.defaults, d.rule(), schema.type + ": omitted settings are the rule's defaults");
        Map<String, Object> settings = d.settings();
        assertEquals(schema.type, settings.remove("type"));
        assertEquals(schema.settingNames(), List.copyOf(settings.keySet()), "settings in record order");
        assertEquals(d, OptimizerSpec.of("d", schema.type, d.settings().entrySet().stream()
                .filter(e -> !e.getKey().equals("type")).collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                        Map.Entry::getValue))), schema.type + ": settings() read back gives the same rule");
        for (String name : schema.settingNames()) {
            RecordComponent c = java.util.Arrays.stream(d.rule().getClass().getRecordComponents())
                    .filter(x -> x.getName().equals(name)).findFirst().orElseThrow();
            Object changed = changedValue(c.getType(), c.getAccessor().invoke(d.rule()));
            Method wither = d.rule().getClass().getMethod("with" + Character.toUpperCase(name.charAt(0)) + name.substring(1),
                    c.getType());
            Rule r = (Rule) wither.invoke(d.rule(), changed);
            assertEquals(changed, c.getAccessor().invoke(r), schema.type + "." + name + ": the wither sets it");
            for (RecordComponent other : d.rule().getClass().getRecordComponents()) {
                if (!other.getName().equals(name)) {
                    assertEquals(other.getAccessor().invoke(d.rule()), other.getAccessor().invoke(r),
                            schema.type + ".with" + name + " must leave " + other.getName() + " alone");
                }
            }
            Map<String, Object> one = new java.util.HashMap<>();
            one.put(name, changed instanceof Enum<?> e ? e.name() : changed);
            assertEquals(r, OptimizerSpec.of("x", schema.type, one).rule(), schema.type + "." + name + " from a config");
        }
    }

    /** A valid value other than {@code v}, for a component of the given type. */
    private static Object changedValue(Class<?> type, Object v) {
        if (type == double.class) {
            double x = (Double) v;
            return x > 0 ? x / 2 : 0.5;   // valid for every rule's range: learning rates, betas, ρ, ε, powers
        }
        if (type == int.class) {
            return (Integer) v + 1;
        }
        if (type == boolean.class) {
            return !(Boolean) v;
        }
        Object[] constants = type.getEnumConstants();
        return constants[(java.util.Arrays.asList(constants).indexOf(v) + 1) % constants.length];
    }

    /** Every kind of rule has a config type, so no optimizer the toolkit offers is left out of configs. */
    @Test
    void everyRuleKindHasAConfigType() {
        for (Rule.Kind kind : Rule.Kind.values()) {
            assertTrue(java.util.Arrays.stream(RuleSchema.values()).anyMatch(s -> s.defaults.kind() == kind),
                    kind + " has no RuleSchema entry: configs could not hold it");
        }
    }

    @Test
    void badSettingsNameTheOptimizerTheKeyAndWhatWasExpected() {
        var unknown = assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.of("n", "lbfgs", Map.of("rank", 3.0)));
        assertTrue(unknown.getMessage().contains("optimizer 'n'") && unknown.getMessage().contains("'rank'")
                && unknown.getMessage().contains("history"), unknown.getMessage());
        var whole = assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.of("n", "lbfgs", Map.of("history", 2.5)));
        assertTrue(whole.getMessage().contains("history must be a whole number, got '2.5'"), whole.getMessage());
        var kind = assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.of("n", "sofim", Map.of("reading", "FIM")));
        assertTrue(kind.getMessage().contains("reading must be one of") && kind.getMessage().contains("FIM"), kind.getMessage());
        var range = assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.of("n", "adam", Map.of("beta1", 1.5)));
        assertTrue(range.getMessage().contains("optimizer 'n'") && range.getMessage().contains("beta1"), range.getMessage());
        var type = assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.of("n", "rmsprop", Map.of()));
        assertTrue(type.getMessage().contains("unknown type 'rmsprop'") && type.getMessage().contains("nystrom-sgd"), type.getMessage());
    }

    @Test
    void aRuleAConfigCannotHoldIsRefusedNotSilentlyWritten() {
        OptimizerSpec decayed = OptimizerSpec.of("adamw", Adam.defaults().withWeightDecay(0.01));
        var e = assertThrows(IllegalArgumentException.class, decayed::settings);
        assertTrue(e.getMessage().contains("optimizer 'adamw'") && e.getMessage().contains("weightDecay = 0.01"), e.getMessage());
        assertEquals("nesterov", OptimizerSpec.of("n", Sgd.nesterov(0.1, 0.9)).settings().get("type"));
        assertEquals("sgd", OptimizerSpec.of("n", Sgd.momentum(0.1, 0.9)).settings().get("type"));
    }

    @Test
    void builderSetsEveryNamedSettingAndRoundTripsThroughJson() {
        ExperimentConfig c = ExperimentConfig.builder("typed").dataset(Dataset.FASHION_MNIST).dataDir("/d").model(ModelKind.LENET)
                .trainSize(1000).validationSize(200).testSize(300).shuffleSeed(9).normalization(DataOptions.Normalization.STANDARDIZE)
                .epochs(3).batchSize(32).seeds(4, 5).targetTrainLoss(0.5).targetTestLoss(0.6).targetAccuracy(0.8)
                .fullTrainLoss(true).evaluateOn(ExperimentConfig.EvaluateOn.VALIDATION).divergenceFactor(7)
                .optimizer("sofim", Sofim.defaults().withRho(50))
                .optimizer("sgd", Sgd.momentum(0.03, 0.95))
                .optimizer("adahessian", AdaHessian.defaults().withHessianPower(0.5))
                .optimizer("lbfgs", Lbfgs.defaults().withHistory(20))
                .optimizer("nystrom", NystromSgd.defaults().withRank(20).withRefreshInterval(10))
                .build();
        assertEquals(new ExperimentConfig("typed", Dataset.FASHION_MNIST, "/d",
                new DataOptions(1000, 200, 300, 9, DataOptions.Normalization.STANDARDIZE), ModelKind.LENET, 3, 32,
                List.of(4L, 5L), c.optimizers(), new Targets(0.5, 0.6, 0.8), true, ExperimentConfig.EvaluateOn.VALIDATION, 7), c);
        assertEquals(50.0, ((Sofim) c.optimizer("sofim").rule()).rho());
        assertEquals(c, ConfigJson.parse(ConfigJson.toJson(c)), "the builder's config is the JSON config");
        assertEquals(c, c.toBuilder().build(), "toBuilder keeps every setting");
        ExperimentConfig defaults = ExperimentConfig.builder("d").optimizer("s", Sofim.defaults()).build();
        assertEquals(Dataset.MNIST, defaults.dataset());
        assertEquals(ModelKind.MLP, defaults.model());
        assertEquals(List.of(1L), defaults.seeds());
        assertEquals(ExperimentConfig.Builder.DEFAULT_BATCH_SIZE, defaults.batchSize());
        var none = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.builder("x").build());
        assertTrue(none.getMessage().contains("at least one optimizer"), none.getMessage());
        var dup = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.builder("x")
                .optimizer("a", Sofim.defaults()).optimizer("a", Sgd.defaults()).build());
        assertTrue(dup.getMessage().contains("unique"), dup.getMessage());
    }

    @Test
    void sizePicksTheQuickOrTheFullValue() {
        assertEquals(2, Size.QUICK.pick(2, 5));
        assertEquals(5, Size.FULL.pick(2, 5));
        assertEquals("-reduced", Size.QUICK.pick("-reduced", ""));
        assertEquals(0.97, Size.FULL.pick(0.93, 0.97));
    }

    /** Two optimizers, two seeds, two epochs of made-up records; accuracy grows with the learning rate. */
    static Results twoByTwo() {
        ExperimentConfig c = ExperimentConfig.builder("two").seeds(1, 2).optimizer("slow", Sofim.defaults().withLearningRate(1))
                .optimizer("fast", Sofim.defaults().withLearningRate(2)).build();
        List<EpochRecord> rs = new ArrayList<>();
        for (OptimizerSpec o : c.optimizers()) {
            for (long s = 1; s <= 2; s++) {
                double lr = o.rule().learningRate();
                for (int e = 1; e <= 2; e++) {
                    rs.add(new EpochRecord(o.name(), s, e, 1.0 / e, 1.0 / e, 0.5 + 0.1 * lr * e + 0.01 * s, e, 0, 10L * e, 10L * e));
                }
            }
        }
        return new Results(c, rs);
    }

    @Test
    void latestFolderAndSameNumbers(@TempDir Path root) throws Exception {
        assertTrue(Results.latest(root.resolve("missing"), "quickstart-").isEmpty());
        for (String n : List.of("quickstart-a", "quickstart-b", "other-c")) {
            Files.createDirectories(root.resolve(n));
            Files.writeString(root.resolve(n).resolve("metrics.csv"), "x\n");
        }
        Files.createDirectories(root.resolve("quickstart-empty"));
        Files.setLastModifiedTime(root.resolve("quickstart-a/metrics.csv"), FileTime.fromMillis(2_000_000));
        Files.setLastModifiedTime(root.resolve("quickstart-b/metrics.csv"), FileTime.fromMillis(1_000_000));
        Files.setLastModifiedTime(root.resolve("other-c/metrics.csv"), FileTime.fromMillis(3_000_000));
        assertEquals(root.resolve("quickstart-a"), Results.latest(root, "quickstart-").orElseThrow());

        Results r = twoByTwo();
        assertTrue(r.sameNumbers(r, "slow", 1));
        List<EpochRecord> shifted = new ArrayList<>(r.records());
        EpochRecord e = shifted.remove(0);
        shifted.add(0, new EpochRecord(e.optimizer(), e.seed(), e.epoch(), e.trainLoss(), e.testLoss(),
                Math.nextUp(e.testAccuracy()), e.seconds(), e.optimizerSeconds(), e.steps(), e.gradientEvaluations()));
        assertFalse(r.sameNumbers(new Results(r.config(), shifted), e.optimizer(), e.seed()), "one ulp is a difference");
        assertFalse(r.sameNumbers(r, "no-such", 1));
        assertNotEquals(0, r.records().size());
    }

    @Test
    void datasetsByTypeAndName() {
        assertEquals(Dataset.FASHION_MNIST, Dataset.of("fmnist"));
        assertEquals(Dataset.CIFAR10, Dataset.of("CIFAR-10"));
        assertEquals("fashion-mnist", Dataset.FASHION_MNIST.toString());
        var e = assertThrows(IllegalArgumentException.class, () -> Dataset.of("svhn"));
        assertTrue(e.getMessage().contains("'svhn'") && e.getMessage().contains("cifar100"), e.getMessage());
        var strict = assertThrows(IllegalArgumentException.class, () -> ConfigJson.parse(
                ConfigJson.toJson(ExperimentConfig.builder("x").optimizer("s", Sofim.defaults()).build())
                        .replace("\"mnist\"", "\"fmnist\"")));
        assertTrue(strict.getMessage().toLowerCase(Locale.ROOT).contains("unknown dataset 'fmnist'"), strict.getMessage());
    }
}
