package dev.sofim.sweep;

import dev.sofim.experiment.ConfigJson;
import dev.sofim.experiment.Experiment;
import dev.sofim.experiment.ExperimentConfig;
import dev.sofim.models.ModelKind;
import dev.sofim.optim.Sgd;
import dev.sofim.optim.Sofim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sweeps as data: cells, ids, bad sweeps rejected before anything runs, runners that agree bit for bit and resume. */
class SweepTest {

    /** Softmax regression on 200 MNIST digits: cells that take a second or two. */
    static ExperimentConfig tinyBase() {
        return ExperimentConfig.builder("tiny").model(ModelKind.LOGISTIC).trainSize(200).testSize(100).epochs(2)
                .batchSize(50).seeds(1).targetAccuracy(0.5)
                .optimizer("sofim", Sofim.defaults()).optimizer("sgd", Sgd.momentum(0.1, 0.9)).build();
    }

    static String sweepJson(String axes) {
        return "{\"name\": \"tiny-sweep\", \"base\": " + ConfigJson.toJson(tinyBase()) + ", \"axes\": {" + axes + "}}";
    }

    static Sweep sweep(String axes) throws Exception {
        return Sweep.parse(sweepJson(axes), Path.of("."));
    }

    @Test
    void cellsAreTheCrossProductWithStableIdsAndOneOptimizerAndSeedEach() throws Exception {
        Sweep s = sweep("\"optimizer\": [\"sofim\", \"sgd\"], \"learningRate\": [0.01, 0.1, 1], \"seed\": [1, 2]");
        List<Cell> cells = s.cells();
        assertEquals(12, cells.size());
        assertEquals(12, new HashSet<>(cells.stream().map(Cell::id).toList()).size(), "distinct configs, distinct ids");
        assertEquals(cells.stream().map(Cell::id).toList(), sweep("\"optimizer\": [\"sofim\", \"sgd\"], "
                + "\"learningRate\": [0.01, 0.1, 1], \"seed\": [1, 2]").cells().stream().map(Cell::id).toList(), "stable ids");
        Cell first = cells.get(0);
        assertEquals(Map.of("optimizer", "sofim", "learningRate", 0.01, "seed", 1L), first.coordinates());
        assertEquals(List.of(1L), first.config().seeds());
        assertEquals(1, first.config().optimizers().size());
        assertEquals(0.01, first.config().optimizers().get(0).rule().learningRate());
        assertEquals(s.cells(), Sweep.parse(s.toJson(), Path.of(".")).cells(), "the stored sweep gives the same cells");
        // An id is the config's hash: the same cell in another sweep has the same id.
        assertEquals(first.id(), sweep("\"learningRate\": [0.01], \"optimizer\": [\"sofim\"]").cells().get(0).id());
    }

    @Test
    void optimizerScopedAxesDoNotMultiplyOtherOptimizersCells() throws Exception {
        Sweep s = sweep("\"sofim.rho\": [1, 10], \"sgd.momentum\": [0.5, 0.9, 0.95]");
        // implicit optimizer axis (both) and seed axis (the base's one seed): 2 + 3 cells, not 2 × 2 × 3
        assertEquals(5, s.cells().size());
        assertTrue(s.cells().stream().filter(c -> c.optimizer().equals("sgd")).noneMatch(c -> c.coordinates().containsKey("sofim.rho")));
        assertTrue(s.plan().contains("5 cells"), s.plan());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"learningRat\": [0.1]|unknown sweep axis 'learningRat'",
            "\"learningRate\": []|sweep axis 'learningRate' is empty",
            "\"learningRate\": [0.1, -1]|learningRate=-1, seed=1} is not a valid experiment",
            "\"optimizer\": [\"adam\"]|'adam' is not an optimizer of the base config",
            "\"rho\": [1]|optimizer 'sgd' (type sgd) has no setting rho",
            "\"adam.rho\": [1]|the base config has no optimizer 'adam'",
            "\"seed\": [1.5]|value 1.5 is not a whole number",
            "\"dataset\": [\"svhn\"]|unknown dataset 'svhn'",
            "\"batchSize\": [0]|sweep cell",
    })
    void badSweepsAreRejectedBeforeAnythingRunsNamingTheAxisAndValue(String axes, String expected) {
        var e = assertThrows(IllegalArgumentException.class, () -> sweep(axes));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void badSweepFilesNameTheKey(@TempDir Path dir) throws Exception {
        var missing = assertThrows(IllegalArgumentException.class, () -> Sweep.parse("{\"name\": \"x\", \"axes\": {}}", dir));
        assertTrue(missing.getMessage().contains("'base' is missing"), missing.getMessage());
        var extra = assertThrows(IllegalArgumentException.class, () -> Sweep.parse(sweepJson("").replace("\"axes\"", "\"grid\""), dir));
        assertTrue(extra.getMessage().contains("unknown sweep key 'grid'"), extra.getMessage());
        var noBase = assertThrows(Exception.class, () -> Sweep.parse(
                "{\"name\": \"x\", \"base\": \"nowhere.json\", \"axes\": {}}", dir));
        assertTrue(noBase.getMessage().contains("nowhere.json"), noBase.getMessage());
    }

    @Test
    void theShippedExamplePlans() throws Exception {
        Sweep s = Sweep.read(Path.of("examples/sweeps/mnist-lr.json"));
        assertEquals(12, s.cells().size(), s.plan());
    }

    static List<String> metrics(String csv) {
        return SweepSummary.withoutWallClock(csv);
    }

    @Test
    void summaryFieldsKeepQuotedCommas() {
        assertEquals(List.of("a", "{x=1, y=2}", "say \"hi\"", ""), SweepSummary.fields("a,\"{x=1, y=2}\",\"say \"\"hi\"\"\","));
    }

    @Test
    void sequentialAndTwoWorkerProcessesGiveTheSameNumbersAndFinishedCellsAreNotRunAgain(@TempDir Path dir) throws Exception {
        Sweep s = sweep("\"optimizer\": [\"sofim\", \"sgd\"], \"learningRate\": [0.03, 0.3]");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        SweepStore a = SweepStore.open(dir.resolve("a"), s);
        LocalRunner.sequential().run(a, quiet);
        SweepStore b = SweepStore.open(dir.resolve("b"), s);
        new LocalRunner(2, List.of("-Xmx1g")).run(b, quiet);
        String csvA = SweepSummary.csv(a);
        assertEquals(metrics(csvA), metrics(SweepSummary.csv(b)), "bit-identical metrics whatever the runner");
        assertTrue(csvA.split("\n")[1].contains(",2,"), "two epochs run: " + csvA);

        // Finished cells are not run again: their files stay as they were.
        Path metricsFile = a.cellDir(s.cells().get(0)).resolve("metrics.csv");
        Files.setLastModifiedTime(metricsFile, FileTime.fromMillis(1_000_000));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LocalRunner.sequential().run(SweepStore.open(dir.resolve("a"), s), new PrintStream(log, true, StandardCharsets.UTF_8));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("4 cells, 0 to run"), log.toString(StandardCharsets.UTF_8));
        assertEquals(1_000_000, Files.getLastModifiedTime(metricsFile).toMillis());

        // Another sweep in the same folder is refused rather than mixed in.
        var other = assertThrows(IllegalArgumentException.class, () -> SweepStore.open(dir.resolve("a"),
                sweep("\"learningRate\": [0.5]")));
        assertTrue(other.getMessage().contains("holds another sweep"), other.getMessage());
    }

    @Test
    void aWorkerAnswersEveryRequestLineAndStopsAtQuit(@TempDir Path dir) throws Exception {
        Sweep s = sweep("\"optimizer\": [\"sgd\"]");
        SweepStore store = SweepStore.open(dir.resolve("store"), s);
        Path logs = Files.createDirectories(dir.resolve("logs"));
        String id = s.cells().get(0).id();
        String requests = String.join("\n", "hello", "cell ../../etc", "cell " + "0".repeat(64), "cell " + id, "quit",
                "cell " + id) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Worker.serve(store.location(), logs, new java.io.ByteArrayInputStream(requests.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        List<String> answers = List.of(out.toString(StandardCharsets.UTF_8).split("\n"));
        assertEquals(4, answers.size(), "one answer a request up to quit, none after: " + answers);
        assertTrue(answers.get(0).startsWith("failed ? expected 'cell ID'") && answers.get(0).endsWith("got 'hello'"),
                answers.get(0));
        assertTrue(answers.get(1).startsWith("failed ? ") && answers.get(1).contains("'cell ../../etc'"), answers.get(1));
        assertTrue(answers.get(2).startsWith("failed " + "0".repeat(64) + " "), "an id not in the sweep: " + answers.get(2));
        assertEquals("done " + id, answers.get(3));
        assertTrue(Files.exists(store.cellDir(s.cells().get(0)).resolve("metrics.csv")));
        assertTrue(Files.readString(logs.resolve(id + ".log")).contains("cell " + id), "the cell's output went to its log");
    }

    @ParameterizedTest
    @CsvSource({"hdfs://nn:8020/sweeps/x, true", "s3a://bucket/x, true", "viewfs://c/x, true", "file:///tmp/x, false",
            "/tmp/x, false", "results/x, false", "C:\\sweeps\\x, false"})
    void remoteLocationsAreUrisWithAFileSystemScheme(String location, boolean remote) {
        assertEquals(remote, RemoteStore.isRemote(location));
    }

    @Test
    void aRemoteStoreWithoutItsPlugInIsRefusedNamingTheScheme(@TempDir Path dir) throws Exception {
        // the toolkit alone has no Hadoop: the toolkit/spark module brings it
        var e = assertThrows(IllegalArgumentException.class, () -> SweepStore.at("hdfs://nn:8020/sweeps/x", sweep("\"seed\": [1]")));
        assertTrue(e.getMessage().contains("hdfs://nn:8020/sweeps/x") && e.getMessage().contains("'hdfs://'")
                && e.getMessage().contains("toolkit/spark"), e.getMessage());
        var local = SweepStore.at(dir.resolve("local").toString(), sweep("\"seed\": [1]"));
        assertTrue(local.remote().isEmpty());
        assertEquals(dir.resolve("local").toAbsolutePath().toString(), local.location());
        assertTrue(Files.exists(dir.resolve("local").resolve("sweep.json")));
    }

    @Test
    void aCellInterruptedAfterItsFirstEpochResumesToTheSameNumbers(@TempDir Path dir) throws Exception {
        Sweep s = sweep("\"optimizer\": [\"sofim\"], \"learningRate\": [0.3]");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        SweepStore whole = SweepStore.open(dir.resolve("whole"), s);
        LocalRunner.sequential().run(whole, quiet);
        SweepStore cut = SweepStore.open(dir.resolve("cut"), s);
        Cell c = s.cells().get(0);
        Experiment.prepare(c.config()).run(cut.cellDir(c), 1);   // as if killed after epoch 1
        assertFalse(cut.finished(c));
        LocalRunner.sequential().run(cut, quiet);
        assertTrue(cut.finished(c));
        assertEquals(metrics(SweepSummary.csv(whole)), metrics(SweepSummary.csv(cut)));
    }

    @Test
    void aTwoAxisViewFillsInAsCellsFinishAndNamesTheBestCell(@TempDir Path dir) throws Exception {
        Sweep s = Sweep.of("grid", tinyBase(), Axis.of("optimizer", "sofim"), Axis.of("learningRate", 0.3, 3.0),
                Axis.of("rho", 1.0, 10.0));
        assertEquals(List.of(0.3, 3L), s.axes().get(1).values(), "whole numbers are kept as longs, so sweep.json reads back");
        assertEquals(s.toJson(), Sweep.parse(s.toJson(), dir).toJson());
        SweepStore store = SweepStore.open(dir.resolve("g"), s);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        store.runCell(s.cells().get(0), quiet);
        double[][] acc = SweepSummary.grid(store, "learningRate", "rho", SweepSummary.last(dev.sofim.experiment.Metric.TEST_ACCURACY));
        assertFalse(Double.isNaN(acc[0][0]), "the finished cell (lr 0.3, rho 1) is filled in");
        assertTrue(Double.isNaN(acc[0][1]) && Double.isNaN(acc[1][0]) && Double.isNaN(acc[1][1]), "the others are blank");
        LocalRunner.sequential().run(store, quiet);
        acc = SweepSummary.grid(store, "learningRate", "rho", SweepSummary.last(dev.sofim.experiment.Metric.TEST_ACCURACY));
        double top = Double.NEGATIVE_INFINITY;
        for (double[] row : acc) {
            for (double v : row) {
                assertFalse(Double.isNaN(v));
                top = Math.max(top, v);
            }
        }
        Cell best = SweepSummary.best(store).orElseThrow();
        assertEquals(top, store.results(best).last(best.optimizer(), best.seed()).orElseThrow().testAccuracy());
        var noAxis = assertThrows(IllegalArgumentException.class, () -> SweepSummary.grid(store, "beta", "rho",
                SweepSummary.last(dev.sofim.experiment.Metric.TEST_ACCURACY)));
        assertTrue(noAxis.getMessage().contains("no axis 'beta'") && noAxis.getMessage().contains("learningRate"), noAxis.getMessage());
    }

    @Test
    void tunedPicksEachOptimizersBestSettingOverSeedsOnTheValidationSplitAndSkipsIncompleteOnes(@TempDir Path dir) throws Exception {
        ExperimentConfig base = tinyBase().toBuilder().validationSize(100)
                .evaluateOn(ExperimentConfig.EvaluateOn.VALIDATION).build();
        Sweep s = Sweep.of("tune", base, Axis.of("learningRate", 0.03, 0.3), Axis.of("seed", 1, 2));
        SweepStore store = SweepStore.open(dir.resolve("t"), s);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        // only seed 1 of every setting: nothing is complete yet
        for (Cell c : s.cells()) {
            if (c.seed() == 1) {
                store.runCell(c, quiet);
            }
        }
        assertTrue(SweepSummary.tuned(store).isEmpty(), "a setting with an unfinished seed is never chosen");
        LocalRunner.sequential().run(store, quiet);
        List<dev.sofim.experiment.OptimizerSpec> chosen = SweepSummary.tuned(store);
        assertEquals(List.of("sofim", "sgd"), chosen.stream().map(dev.sofim.experiment.OptimizerSpec::name).toList());
        for (dev.sofim.experiment.OptimizerSpec o : chosen) {
            double bestMean = Double.NEGATIVE_INFINITY;
            double chosenMean = Double.NaN;
            for (double lr : List.of(0.03, 0.3)) {
                double mean = s.cells().stream().filter(c -> c.optimizer().equals(o.name())
                        && c.config().optimizers().get(0).rule().learningRate() == lr).mapToDouble(c -> {
                            try {
                                return store.results(c).last(c.optimizer(), c.seed()).orElseThrow().testAccuracy();
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }).average().orElseThrow();
                bestMean = Math.max(bestMean, mean);
                if (o.rule().learningRate() == lr) {
                    chosenMean = mean;
                }
            }
            assertEquals(bestMean, chosenMean, o.name() + ": the chosen setting has the best mean validation accuracy");
        }
    }

    /** The tuning protocol as one sweep: the committed tuning grids, cell for cell (setting points per family). */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"mnist", "fashion"})
    void theTuningSweepsAreTheCommittedTuningGrids(String ds) throws Exception {
        Sweep s = Sweep.read(Path.of("examples/sweeps/" + ds + "-lenet-tune.json"));
        ExperimentConfig grid = ConfigJson.read(Path.of("examples/" + ds + "-lenet-tune.json"));
        assertEquals(grid.optimizers().size(), s.cells().size());
        assertEquals(grid.optimizers().stream().map(o -> o.rule()).collect(java.util.stream.Collectors.toSet()),
                s.cells().stream().map(c -> c.config().optimizers().get(0).rule()).collect(java.util.stream.Collectors.toSet()));
        for (Cell c : s.cells()) {
            ExperimentConfig k = c.config();
            assertEquals(List.of(grid.dataset(), grid.model(), grid.data(), grid.epochs(), grid.batchSize(), grid.seeds(),
                    grid.evaluateOn(), grid.targets()), List.of(k.dataset(), k.model(), k.data(), k.epochs(), k.batchSize(),
                    k.seeds(), k.evaluateOn(), k.targets()), c.id());
        }
        var bad = assertThrows(IllegalArgumentException.class, () -> sweep("\"sofim\": [{\"learningRate\": 1, \"momentum\": 0.9}]"));
        assertTrue(bad.getMessage().contains("optimizer 'sofim' has no setting momentum"), bad.getMessage());
    }

    /** The sweep JVM's heap is checked before anything starts, and a bad one is named as the heap, not as another knob. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"lots", "1.5g", "32m", "0", ""})
    void aBadSweepHeapIsNamedBeforeAnythingStarts(String heap, @TempDir Path dir) {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SweepProcess.start(dir.resolve("sofim"), null, "", heap));
        assertTrue(e.getMessage().contains("sweep JVM heap '" + heap + "'") && e.getMessage().contains("expected e.g. 512m"),
                e.getMessage());
        assertEquals(512L << 20, SweepProcess.heapBytes("512m"));
    }
}
