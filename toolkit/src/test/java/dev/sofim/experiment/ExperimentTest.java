package dev.sofim.experiment;

import dev.sofim.data.Dataset;
import dev.sofim.data.DataOptions;
import dev.sofim.data.Datasets;
import dev.sofim.data.Split;
import dev.sofim.models.ModelKind;
import dev.sofim.optim.Adam;
import dev.sofim.optim.Reading;
import dev.sofim.optim.Sgd;
import dev.sofim.optim.Sofim;
import dev.sofim.testdata.MnistSubset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training harness on real MNIST digits: determinism, resume after a stop, records, targets. */
class ExperimentTest {

    static ExperimentConfig config(String name, int epochs) {
        return new ExperimentConfig(name, Dataset.MNIST, null, new DataOptions(600, 0, 300, 0, DataOptions.Normalization.UNIT),
                ModelKind.MLP, epochs, 50, List.of(1L, 2L),
                List.of(OptimizerSpec.of("sofim", "sofim", Map.of()),
                        OptimizerSpec.of("adam", "adam", Map.of("learningRate", 0.002))),
                new Targets(0.5, null, 0.8), false);
    }

    static Experiment experiment(ExperimentConfig c) {
        Split s = new Split(MnistSubset.train().head(600), null, MnistSubset.test().head(300), Map.of("x", "y"));
        return Experiment.of(c, s);
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p);
    }

    static List<String> deterministicFiles(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        out.add(read(dir.resolve("metrics.csv")));
        out.add(read(dir.resolve(ResultsStore.EVALS)));
        try (Stream<Path> s = Files.list(dir.resolve("iterations")).sorted()) {
            for (Path p : s.toList()) {
                out.add(p.getFileName() + "\n" + read(p));
            }
        }
        return out;
    }

    @Test
    void sameConfigGivesIdenticalCsv(@TempDir Path tmp) throws IOException {
        ExperimentConfig c = config("determinism", 2);
        Results a = experiment(c).run(tmp.resolve("a"));
        experiment(c).run(tmp.resolve("b"));
        assertEquals(deterministicFiles(tmp.resolve("a")), deterministicFiles(tmp.resolve("b")));
        assertEquals(2 * 2 * 2, a.records().size());
        String metrics = read(tmp.resolve("a/metrics.csv"));
        assertTrue(metrics.startsWith(ResultsStore.METRICS_HEADER + "\n"), metrics);
        assertEquals(1 + 8, metrics.lines().count());
        assertEquals(1 + 2 * 12, read(tmp.resolve("a/iterations/sofim-seed1.csv")).lines().count(), "12 batches of 50 per epoch");
        assertTrue(Files.exists(tmp.resolve("a/run.json")));
        assertTrue(read(tmp.resolve("a/run.json")).contains("deeplearning4j-nn"));
    }

    @Test
    void seedsDifferButOptimizersShareInitialWeightsAndOrder(@TempDir Path tmp) throws IOException {
        Results r = experiment(config("seeds", 1)).run(tmp);
        EpochRecord s1 = r.run("sofim", 1).get(0);
        EpochRecord s2 = r.run("sofim", 2).get(0);
        assertNotEquals(s1.testLoss(), s2.testLoss());
        List<String> sofim1 = Files.readAllLines(tmp.resolve("iterations/sofim-seed1.csv"));
        List<String> adam1 = Files.readAllLines(tmp.resolve("iterations/adam-seed1.csv"));
        assertEquals(sofim1.get(1), adam1.get(1), "first minibatch loss: same weights, same batch");
        assertNotEquals(sofim1.get(2), adam1.get(2), "then the optimizers differ");
    }

    /** A run stopped after epoch 1 (as if killed) and restarted ends with the uninterrupted numbers. */
    @ParameterizedTest
    @EnumSource(Trainer.class)
    void resumedRunEqualsUninterruptedRun(Trainer trainer, @TempDir Path tmp) throws IOException {
        ExperimentConfig c = config("resume", 3).toBuilder().trainer(trainer).build();
        String ext = Learner.checkpointExtension(trainer);
        experiment(c).run(tmp.resolve("full"));
        Path stopped = tmp.resolve("stopped");
        Results partial = experiment(c).run(stopped, 1);
        assertEquals(4, partial.records().size());
        assertTrue(Files.exists(stopped.resolve("checkpoints/sofim-seed1-epoch1" + ext)));
        List<Integer> resumedAt = new ArrayList<>();
        experiment(c).run(stopped, new ExperimentListener() {
            @Override
            public void runStarted(String optimizer, long seed, int startEpoch, int epochs, int batches) {
                resumedAt.add(startEpoch);
            }
        });
        assertEquals(List.of(2, 2, 2, 2), resumedAt);
        assertEquals(deterministicFiles(tmp.resolve("full")), deterministicFiles(stopped));
        assertFalse(Files.exists(stopped.resolve("checkpoints/sofim-seed1-epoch1" + ext)), "old checkpoints are removed");
        assertTrue(Files.exists(stopped.resolve("checkpoints/sofim-seed1-epoch3" + ext)));
    }

    /**
     * The Newton-type optimizers through the harness: killed after epoch 1 and resumed, they end with the same
     * metrics and minibatch losses as an uninterrupted run (their state travels in the checkpoint), and the
     * records count their extra gradient evaluations.
     */
    @ParameterizedTest
    @EnumSource(Trainer.class)
    void newtonTypeRunsResumeExactlyAndCountEvaluations(Trainer trainer, @TempDir Path tmp) throws IOException {
        ExperimentConfig c = new ExperimentConfig("oracle-resume", Dataset.MNIST, null,
                new DataOptions(600, 0, 300, 0, DataOptions.Normalization.UNIT), ModelKind.LOGISTIC, 2, 50, List.of(1L),
                List.of(OptimizerSpec.of("adahessian", "adahessian", Map.of("hessianInterval", 2.0, "learningRate", 0.02)),
                        OptimizerSpec.of("lbfgs", "lbfgs", Map.of("history", 3.0)),
                        OptimizerSpec.of("nystrom", "nystrom-sgd", Map.of("rank", 3.0, "refreshInterval", 4.0)),
                        OptimizerSpec.of("sgd", "sgd", Map.of("learningRate", 0.1))),
                new Targets(null, null, 0.5), false).toBuilder().trainer(trainer).build();
        Results full = experiment(c).run(tmp.resolve("full"));
        Path stopped = tmp.resolve("stopped");
        experiment(c).run(stopped, 1);
        experiment(c).run(stopped);
        assertEquals(deterministicFiles(tmp.resolve("full")), deterministicFiles(stopped));
        int steps = 12; // the 600 images of experiment() in batches of 50
        Map<String, Long> evaluations = new java.util.HashMap<>();
        for (EpochRecord r : full.records()) {
            assertEquals(steps * (long) r.epoch(), r.steps(), r.toString());
            if (r.epoch() == 2) {
                evaluations.put(r.optimizer(), r.gradientEvaluations());
            }
        }
        // 24 steps. AdaHessian: 1 + 2 every second step; L-BFGS: 2 per step; Nyström: 1 + 2·3 every fourth step; SGD: 1.
        assertEquals(Map.of("adahessian", 24L + 2 * 12, "lbfgs", 48L, "nystrom", 24L + 6 * 6, "sgd", 24L), evaluations);
        assertEquals(2.0, full.evaluationsPerStep("lbfgs"), 1e-12);
        assertTrue(full.summaryCsv().lines().skip(1).anyMatch(l -> l.startsWith("lbfgs,") && l.endsWith(",2.000,6")),
                full.summaryCsv());
    }

    /** A finite but exploded run is stopped and recorded like a non-finite one; a sane run beside it is not. */
    @Test
    void anExplodedLossIsRecordedAsDivergence(@TempDir Path tmp) throws IOException {
        ExperimentConfig c = new ExperimentConfig("explode", Dataset.MNIST, null,
                new DataOptions(600, 0, 300, 0, DataOptions.Normalization.UNIT), ModelKind.MLP, 3, 50, List.of(1L),
                List.of(OptimizerSpec.of("huge", "sofim", Map.of("learningRate", 1e4)),
                        OptimizerSpec.of("sane", "sgd", Map.of("learningRate", 0.1))),
                new Targets(null, null, 0.5), false);
        Results r = experiment(c).run(tmp);
        assertEquals(1, r.divergences().size(), r.table());
        Divergence d = r.divergences().get(0);
        assertEquals("huge", d.optimizer());
        assertTrue(d.message().contains("loss exploded") && d.message().contains("5.0× the run's first minibatch loss"),
                d.message());
        assertTrue(r.run("huge", 1).size() >= 1 && r.run("huge", 1).size() < 3, "the exploded epoch is kept, then it stops");
        assertEquals(3, r.run("sane", 1).size());
        assertTrue(r.table().contains("huge") && r.table().contains("diverged"), r.table());
        assertTrue(dev.sofim.plot.Plots.curves(r, Metric.TRAIN_LOSS, dev.sofim.plot.XAxis.EPOCH).getSeriesMap().keySet().stream()
                .anyMatch(k -> k.startsWith("huge") && k.contains("[diverged: seed 1 epoch")), "the plot's legend says so");
        var e = assertThrows(IllegalArgumentException.class, () -> experiment(new ExperimentConfig("big", Dataset.MNIST, null,
                c.data(), c.model(), 1, 601, List.of(1L), c.optimizers(), c.targets(), false)));
        assertTrue(e.getMessage().contains("batchSize 601 exceeds the 600 training images"), e.getMessage());
        ExperimentConfig off = new ExperimentConfig("explode", Dataset.MNIST, null, c.data(), c.model(), 1, 50, List.of(1L),
                c.optimizers().subList(0, 1), c.targets(), false, ExperimentConfig.EvaluateOn.TEST, 0);
        assertTrue(experiment(off).run(tmp.resolve("off")).divergences().isEmpty(), "divergenceFactor 0 turns the rule off");
    }

    @Test
    void aFolderOfAnotherExperimentIsNotTouched(@TempDir Path tmp) throws IOException {
        experiment(config("first", 1)).run(tmp);
        String before = read(tmp.resolve("metrics.csv"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> experiment(config("second", 1)).run(tmp));
        assertTrue(e.getMessage().contains("another experiment"), e.getMessage());
        assertEquals(before, read(tmp.resolve("metrics.csv")));
    }

    @Test
    void resultsReloadAndTimeToTargetMarksNotReached(@TempDir Path tmp) throws IOException {
        ExperimentConfig c = config("reload", 2);
        Results r = experiment(c).run(tmp);
        Results loaded = Results.load(tmp);
        assertEquals(c, loaded.config());
        assertEquals(r.records().size(), loaded.records().size());
        for (EpochRecord rec : r.records()) {
            EpochRecord back = loaded.run(rec.optimizer(), rec.seed()).get(rec.epoch() - 1);
            assertEquals(rec.testAccuracy(), back.testAccuracy(), 0);
            assertEquals(rec.trainLoss(), back.trainLoss(), 0);
            assertEquals(rec.seconds(), back.seconds(), 1e-6);
            assertTrue(rec.seconds() > 0 && rec.optimizerShare() > 0 && rec.optimizerShare() < 1, rec.toString());
        }
        List<TimeToTarget> ttt = loaded.timeToTarget();
        assertEquals(4, ttt.size(), "2 targets x 2 optimizers");
        for (TimeToTarget t : ttt) {
            // Independently of firstReaching: scan the records in epoch order with the metric's own direction.
            List<Integer> expected = new ArrayList<>();
            for (long seed : c.seeds()) {
                for (EpochRecord rec : loaded.records().stream().filter(x -> x.optimizer().equals(t.optimizer()) && x.seed() == seed)
                        .sorted(java.util.Comparator.comparingInt(EpochRecord::epoch)).toList()) {
                    double v = t.metric() == Metric.TEST_ACCURACY ? rec.testAccuracy()
                            : t.metric() == Metric.TRAIN_LOSS ? rec.trainLoss() : rec.testLoss();
                    if (t.metric() == Metric.TEST_ACCURACY ? v >= t.target() : v <= t.target()) {
                        expected.add(rec.epoch());
                        break;
                    }
                }
            }
            assertEquals(expected, t.epochs(), t.toString());
        }
        Results impossible = new Results(new ExperimentConfig("x", Dataset.MNIST, null, c.data(), c.model(), 2, 50, c.seeds(),
                c.optimizers(), new Targets(null, 1e-9, null), false), loaded.records());
        assertTrue(impossible.timeToTarget().stream().allMatch(t -> t.reached() == 0));
        assertTrue(impossible.table().contains("not reached (0/2 runs)"), impossible.table());
    }

    @Test
    void aDivergingRunIsRecordedAndTheOthersGoOn(@TempDir Path tmp) throws IOException {
        ExperimentConfig c = new ExperimentConfig("diverge", Dataset.MNIST, null, config("x", 1).data(), ModelKind.MLP, 2, 50,
                List.of(1L), List.of(OptimizerSpec.of("wild", "sgd", Map.of("learningRate", 1e12, "momentum", 0.0)),
                        OptimizerSpec.of("adam", "adam", Map.of())), new Targets(null, null, 0.5), false);
        Results r = experiment(c).run(tmp);
        assertEquals(1, r.divergences().size(), r.toString());
        Divergence d = r.divergences().get(0);
        assertEquals("wild", d.optimizer());
        assertTrue(d.message().contains("Non-finite gradient"), d.message());
        assertEquals(2, r.run("adam", 1).size(), "the other optimizer still ran");
        List<Divergence> seen = new ArrayList<>();
        Results again = experiment(c).run(tmp, new ExperimentListener() {
            @Override
            public void runDiverged(Divergence dv) {
                seen.add(dv);
            }
        });
        assertEquals(List.of(d), seen, "not retried on resume");
        assertEquals(r.records().stream().map(ResultsStore::metricsRow).toList(),
                again.records().stream().map(ResultsStore::metricsRow).toList());
        assertTrue(Results.load(tmp).table().contains("wild             seed 1 diverged in epoch"), Results.load(tmp).table());
    }

    /**
     * A tuning config evaluates on the validation split carved from the training set (never the test set)
     * and picks one setting per family; diverged settings are never picked.
     */
    @Test
    void tuningEvaluatesOnTheValidationSplitAndPicksOnePerFamily(@TempDir Path tmp) throws IOException {
        ExperimentConfig c = new ExperimentConfig("tune", Dataset.MNIST, null,
                new DataOptions(450, 150, 300, 0, DataOptions.Normalization.UNIT), ModelKind.MLP, 1, 50, List.of(1L),
                List.of(new OptimizerSpec("sofim-a", Sofim.defaults().withLearningRate(0.05).withRho(1)),
                        new OptimizerSpec("sofim-b", Sofim.defaults().withLearningRate(1).withRho(1)),
                        new OptimizerSpec("sofim-g", Sofim.of(Reading.GRADIENT).withLearningRate(1).withRho(10)),
                        new OptimizerSpec("adam-a", Adam.defaults()),
                        new OptimizerSpec("wild", Sgd.plain(1e12))),
                new Targets(null, null, null), false, ExperimentConfig.EvaluateOn.VALIDATION);
        Split raw = new Split(MnistSubset.train().head(600), null, MnistSubset.test().head(300), Map.of("x", "y"));
        Split data = Datasets.prepare(raw, c.data());
        Experiment e = Experiment.of(c, data);
        assertSame(data.validation(), e.heldOut());
        Results r = e.run(tmp);

        Learner learner = Learner.restore(c, data.train(), c.optimizer("sofim-b"), 1,
                tmp.resolve("checkpoints/sofim-b-seed1-epoch1.bin"));
        java.util.function.UnaryOperator<org.nd4j.linalg.api.ndarray.INDArray> trained = learner::output;
        Scores onValidation = Scores.of(trained, Batches.all(data.validation()), c.model().evaluationChunk());
        assertEquals(onValidation.accuracy(), r.run("sofim-b", 1).get(0).testAccuracy(), 0);
        assertEquals(onValidation.loss(), r.run("sofim-b", 1).get(0).testLoss(), 0);
        assertNotEquals(Scores.of(trained, Batches.all(data.test()), c.model().evaluationChunk()).loss(), r.run("sofim-b", 1).get(0).testLoss());

        Map<String, Results.Trial> best = r.bestPerFamily();
        assertEquals(List.of("sofim-paper", "sofim-gradient", "adam"), List.copyOf(best.keySet()), "wild diverged: no sgd");
        double a = r.run("sofim-a", 1).get(0).testAccuracy(), b = r.run("sofim-b", 1).get(0).testAccuracy();
        assertEquals(a >= b ? "sofim-a" : "sofim-b", best.get("sofim-paper").optimizer().name());
        assertEquals(List.of("sofim-paper", "sofim-gradient", "adam"), r.tuned().stream().map(OptimizerSpec::name).toList());
        assertEquals(best.get("sofim-paper").optimizer().rule(), r.tuned().get(0).rule());
        String csv = r.tuningCsv();
        assertEquals(3, csv.lines().filter(l -> l.endsWith(",true")).count(), csv);
        assertTrue(csv.lines().anyMatch(l -> l.startsWith("sgd,wild,") && l.endsWith(",false,false")), csv);
        assertTrue(r.table().contains("val acc") && r.table().contains("validation split (150 images"), r.table());
    }
}
