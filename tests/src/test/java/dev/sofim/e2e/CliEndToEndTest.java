package dev.sofim.e2e;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's CLI line: the reduced MNIST comparison through bin/sofim, offline, leaving results and PNG plots. */
class CliEndToEndTest {

    @Test
    void reducedMnistComparisonLeavesResultsAndPlots() throws Exception {
        Path out = Path.of("target/cli-results").toAbsolutePath();
        Processes.deleteTree(out);
        Processes p = Processes.run(Processes.ROOT, Map.of(), 20, List.of("bash", "toolkit/bin/sofim", "run",
                "toolkit/examples/mnist-lenet-reduced.json", "--out", out.toString()));
        assertEquals(0, p.status(), p.output());
        assertTrue(p.output().contains("time to target"), p.output());
        List<String> metrics = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(1 + 7 * 2, metrics.size(), "7 optimizers x 2 epochs: " + metrics);
        for (String png : List.of("test-accuracy-vs-epoch.png", "train-loss-vs-time.png", "time-to-test-accuracy.png")) {
            assertNotNull(ImageIO.read(out.resolve("plots").resolve(png).toFile()), png);
        }
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertTrue(summary.get(0).startsWith("optimizer,metric,target,runs,reached"), summary.get(0));
        // A reduced example sets targets its size can reach: every target is reached by some optimizer.
        for (String metric : List.of("train_loss", "test_loss", "test_accuracy")) {
            assertTrue(summary.stream().skip(1).map(l -> l.split(",", -1))
                            .anyMatch(c -> c[1].equals(metric) && !c[2].isEmpty() && Integer.parseInt(c[4]) > 0),
                    "no optimizer reached the " + metric + " target:\n" + String.join("\n", summary));
        }
    }

    /** The README's sweep line: bin/sofim with --master local[2] gives the sequential runner's numbers. */
    @Test
    void sweepOnSparkThroughBinSofimMatchesTheSequentialRun(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("base.json"), """
                {"name": "cli-sweep", "dataset": "mnist", "model": "logistic", "epochs": 2, "batchSize": 50, "seeds": [1],
                 "data": {"trainSize": 300, "testSize": 200},
                 "optimizers": [{"name": "sofim", "type": "sofim"}, {"name": "sgd", "type": "sgd", "learningRate": 0.1}],
                 "targets": {"testAccuracy": 0.5}}
                """);
        Files.writeString(dir.resolve("sweep.json"), """
                {"name": "cli-sweep", "base": "base.json", "axes": {"learningRate": [0.03, 0.3], "seed": [1, 2]}}
                """);
        Processes seq = Processes.run(Processes.ROOT, Map.of(), 10, List.of("bash", "toolkit/bin/sofim", "sweep", "run",
                dir.resolve("sweep.json").toString(), "--out", dir.resolve("seq").toString()));
        assertEquals(0, seq.status(), seq.output());
        Processes spark = Processes.run(Processes.ROOT, Map.of(), 10, List.of("bash", "toolkit/bin/sofim", "sweep", "run",
                dir.resolve("sweep.json").toString(), "--out", dir.resolve("spark").toString(), "--master", "local[2]"));
        assertEquals(0, spark.status(), spark.output());
        assertTrue(spark.output().contains("Spark master local[2]"), spark.output());
        List<String> a = Files.readAllLines(dir.resolve("seq/summary.csv"));
        List<String> b = Files.readAllLines(dir.resolve("spark/summary.csv"));
        assertEquals(1 + 8, a.size(), String.join("\n", a));
        int seconds = List.of(a.get(0).split(",")).indexOf("seconds_to_test_accuracy");
        for (int i = 0; i < a.size(); i++) {
            List<String> x = new java.util.ArrayList<>(List.of(a.get(i).split(",", -1)));
            List<String> y = new java.util.ArrayList<>(List.of(b.get(i).split(",", -1)));
            x.remove(seconds);
            y.remove(seconds);
            assertEquals(x, y, "row " + i + ": every metric equal, bit for bit");
        }
    }

    /** The README's study line: bin/sofim study plan on the full study file (with given rates: no calibration run). */
    @Test
    void studyPlanThroughBinSofim() throws Exception {
        Processes p = Processes.run(Processes.ROOT, Map.of(), 10, List.of("bash", "toolkit/bin/sofim", "study", "plan",
                "toolkit/examples/studies/lenet.json", "--seconds-per-evaluation", "0.05", "--seconds-per-point", "0.5"));
        assertEquals(0, p.status(), p.output());
        for (String s : List.of("study lenet: 2 workload(s), 7 method(s), 12 tuning trials per method", "runs: 278",
                "gradient evaluations: 1086980", "core-hours")) {
            assertTrue(p.output().contains(s), "plan lacks '" + s + "':\n" + p.output());
        }
    }
}
