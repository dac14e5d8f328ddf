package dev.sofim.spark;

import dev.sofim.experiment.ConfigJson;
import dev.sofim.experiment.ExperimentConfig;
import dev.sofim.models.ModelKind;
import dev.sofim.optim.Sgd;
import dev.sofim.optim.Sofim;
import dev.sofim.sweep.Cell;
import dev.sofim.sweep.LocalRunner;
import dev.sofim.sweep.Sweep;
import dev.sofim.sweep.SweepStore;
import dev.sofim.sweep.SweepSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Spark runner: the same numbers as the sequential runner, and a killed driver's sweep finishes on re-run. */
class SparkRunnerTest {
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    /** 2 optimizers × 3 learning rates × 2 seeds of softmax regression on a few hundred MNIST digits. */
    static Sweep sweep(int trainSize, int epochs) throws Exception {
        ExperimentConfig base = ExperimentConfig.builder("spark").model(ModelKind.LOGISTIC).trainSize(trainSize).testSize(200)
                .epochs(epochs).batchSize(50).targetAccuracy(0.5)
                .optimizer("sofim", Sofim.defaults()).optimizer("sgd", Sgd.momentum(0.1, 0.9)).build();
        return Sweep.parse("{\"name\": \"spark-test\", \"base\": " + ConfigJson.toJson(base) + ", \"axes\": "
                + "{\"optimizer\": [\"sofim\", \"sgd\"], \"learningRate\": [0.03, 0.1, 0.3], \"seed\": [1, 2]}}", Path.of("."));
    }

    static List<String> metrics(String csv) {
        return SweepSummary.withoutWallClock(csv);
    }

    @Test
    void localTwoGivesTheSequentialRunnersNumbersBitForBit(@TempDir Path dir) throws Exception {
        Sweep s = sweep(300, 2);
        SweepStore seq = SweepStore.open(dir.resolve("sequential"), s);
        LocalRunner.sequential().run(seq, QUIET);
        SweepStore spark = SweepStore.open(dir.resolve("spark"), s);
        new SparkRunner("local[2]").run(spark, QUIET);
        List<String> expected = metrics(SweepSummary.csv(seq));
        assertEquals(12, expected.size());
        assertTrue(expected.get(0).contains("epochs=2 "), expected.get(0));
        assertEquals(expected, metrics(SweepSummary.csv(spark)));
    }

    /**
     * Issue 25, item 1: on LeNet-5 (convolutions, where ND4J's thread count changes the sums) 3 of 4 Spark cells
     * differed from the sequential runner while the pin held only on the first task thread. Every cell's metrics and
     * evaluation points now equal the sequential runner's byte for byte, and every task ran on one ND4J thread.
     */
    @Test
    void lenetOnLocalTwoEqualsTheSequentialRunnerBitForBit(@TempDir Path dir) throws Exception {
        ExperimentConfig base = ExperimentConfig.builder("spark-lenet").model(ModelKind.LENET).trainSize(256).testSize(200)
                .epochs(1).batchSize(32).targetAccuracy(0.5)
                .optimizer("sofim", Sofim.defaults()).optimizer("sgd", Sgd.momentum(0.05, 0.9)).build();
        Sweep s = Sweep.parse("{\"name\": \"spark-lenet\", \"base\": " + ConfigJson.toJson(base) + ", \"axes\": "
                + "{\"seed\": [1, 2]}}", Path.of("."));
        SweepStore seq = SweepStore.open(dir.resolve("sequential"), s);
        LocalRunner.sequential().run(seq, QUIET);
        SweepStore spark = SweepStore.open(dir.resolve("spark"), s);
        new SparkRunner("local[2]").run(spark, QUIET);
        assertEquals(4, s.cells().size());
        for (Cell c : s.cells()) {
            for (String f : List.of("metrics.csv", "evals.csv")) {
                assertEquals(Files.readString(seq.cellDir(c).resolve(f)), Files.readString(spark.cellDir(c).resolve(f)),
                        "cell " + c.id() + " " + c.coordinates() + ": " + f);
            }
            String run = Files.readString(spark.cellDir(c).resolve("run.json"));
            assertTrue(run.replaceAll("\\s", "").contains("\"nd4jThreads\":1"), "cell " + c.id() + " ran on more than one "
                    + "ND4J thread: " + run);
        }
    }

    @Test
    void masterUrls() {
        assertEquals("local[2,4]", new SparkRunner("local[2]").effectiveMaster());
        assertEquals("local[*,4]", new SparkRunner("local[*]").effectiveMaster());
        assertEquals("spark://h:7077", new SparkRunner("spark://h:7077").effectiveMaster());
        assertThrows(IllegalArgumentException.class, () -> new SparkRunner(" "));
        for (String ok : List.of("local", "local[1]", "local[2,3]", "local[*,2]", "yarn", "spark://a:7077,b:7077",
                "k8s://https://host:6443")) {
            assertEquals(ok, new SparkRunner(ok).master());
        }
        // issue 25, item 16: refused by name before a store is written, not a raw SparkException later
        for (String bad : List.of("nonsense", "local[0]", "local[2,0]", "local[x]", "spark://")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SparkRunner(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    /** Cells with all their epochs in the store, and their metrics files' modification times. */
    static Map<String, Long> finished(SweepStore store) throws Exception {
        Map<String, Long> done = new HashMap<>();
        for (Cell c : store.sweep().cells()) {
            if (store.finished(c)) {
                done.put(c.id(), Files.getLastModifiedTime(store.cellDir(c).resolve("metrics.csv")).toMillis());
            }
        }
        return done;
    }

    @Test
    void aDriverKilledMidSweepFinishesOnReRunWithoutRedoingFinishedCells(@TempDir Path dir) throws Exception {
        Sweep s = sweep(1500, 3);
        Path sweepFile = dir.resolve("sweep.json");
        Files.writeString(sweepFile, s.toJson());
        Path out = dir.resolve("out");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "@" + Path.of("java17.args").toAbsolutePath(), "-cp", System.getProperty("java.class.path"),
                "dev.sofim.cli.Main", "sweep", "run", sweepFile.toString(), "--out", out.toString(), "--master", "local[2]"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("driver.log").toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process driver = pb.start();
        SweepStore store = null;
        Map<String, Long> before = Map.of();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline && driver.isAlive()) {
            if (Files.exists(out.resolve("sweep.json"))) {
                store = store == null ? SweepStore.of(out) : store;
                before = finished(store);
                if (before.size() >= 2) {
                    break;
                }
            }
            Thread.sleep(50);
        }
        assertTrue(driver.isAlive(), "the driver ended before it could be killed:\n" + Files.readString(dir.resolve("driver.log")));
        driver.destroyForcibly();   // SIGKILL: no shutdown hooks, cells cut wherever they were
        assertTrue(driver.waitFor(60, TimeUnit.SECONDS));
        before = finished(store);
        assertTrue(before.size() < 12, "some cells were still to run when the driver died: " + before.size());

        new SparkRunner("local[2]").run(SweepStore.open(out, s), QUIET);
        Map<String, Long> after = finished(SweepStore.of(out));
        assertEquals(12, after.size(), "every cell finished after the re-run");
        for (Map.Entry<String, Long> e : before.entrySet()) {
            assertEquals(e.getValue(), after.get(e.getKey()), "cell " + e.getKey() + " was finished and must not run again");
        }
        SweepStore seq = SweepStore.open(dir.resolve("sequential"), s);
        LocalRunner.sequential().run(seq, QUIET);
        assertEquals(metrics(SweepSummary.csv(seq)), metrics(SweepSummary.csv(SweepStore.of(out))),
                "killed and resumed, the same numbers as an uninterrupted sequential run");
        assertFalse(metrics(SweepSummary.csv(seq)).isEmpty());
    }
}
