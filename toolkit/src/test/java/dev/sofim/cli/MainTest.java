package dev.sofim.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line: help, bad input with a clear message and a non-zero exit, nothing written. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env).run(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static final String VALID = """
            {"name": "cli", "dataset": "mnist", "model": "logistic", "epochs": 1, "batchSize": 64, "seeds": [1],
             "data": {"trainSize": 200, "testSize": 100},
             "optimizers": [%s]}""";

    private static Path config(Path dir, String optimizers) throws IOException {
        Path f = dir.resolve("c.json");
        Files.writeString(f, VALID.formatted(optimizers));
        return f;
    }

    @Test
    void sweepPlanListsTheCellsAndBadSweepCommandsAreUsageErrors() {
        assertEquals(0, run(Map.of(), "sweep", "plan", "examples/sweeps/mnist-lr.json"), err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("12 cells"), out.toString(StandardCharsets.UTF_8));
        assertEquals(2, run(Map.of(), "sweep"));
        assertEquals(2, run(Map.of(), "sweep", "go", "x.json"));
        assertEquals(2, run(Map.of(), "sweep", "run", "examples/sweeps/mnist-lr.json", "--workers", "two"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--workers must be a whole number >= 1, got 'two'"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(0, run(Map.of(), "sweep", "--help"));
        assertEquals(2, run(Map.of(), "sweep", "run", "examples/sweeps/mnist-lr.json", "--workers", "0"));
        assertTrue(err().contains("workers must be >= 1, got 0"), err());
        assertFalse(java.nio.file.Files.exists(java.nio.file.Path.of("results", "mnist-lr-sweep")),
                "a refused run writes no results folder");
        assertEquals(2, run(Map.of(), "sweep", "run", "examples/sweeps/mnist-lr.json", "--workers", "2", "--master", "local[2]"));
        assertTrue(err().contains("give --workers (this machine) or --master (Spark), not both"), err());
        assertEquals(2, run(Map.of(), "sweep", "summary", "examples"));
        assertTrue(err().contains("examples is not a sweep folder: it has no sweep.json"), err());
    }

    @Test
    void helpExitsZeroAndListsCommands() {
        assertEquals(0, run(Map.of(), "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String c : new String[] {"run", "plot", "data fetch", "bench throughput", "SOFIM_EPOCHS"}) {
            assertTrue(help.contains(c), c);
        }
        assertEquals(0, run(Map.of(), "run", "--help"));
    }

    /** On this machine's cache (set up by the install scripts) the doctor finds every needed file intact. */
    @Test
    void doctorOnAGoodCacheExitsZero() {
        assertEquals(0, run(Map.of(), "doctor"), out.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("all datasets the toolkit needs offline are present and intact"));
        assertEquals(2, run(Map.of(), "doctor", "--fix"));
        assertTrue(err().contains("unknown option '--fix' for doctor"), err());
    }

    /** A command's --help is that command's page; run's includes every optimizer type and its defaults. */
    @Test
    void perCommandHelpAndVersion() {
        assertEquals(0, run(Map.of(), "run", "--help"));
        String run = out.toString(StandardCharsets.UTF_8);
        assertTrue(run.startsWith("usage: sofim run CONFIG.json"), run);
        assertTrue(run.contains("nystrom-sgd  learningRate=0.1 rank=10 refreshInterval=1 rho=1.0"), run);
        assertTrue(run.contains("Config (strict JSON): name, dataset") && run.contains("divergenceFactor"), run);
        assertTrue(!run.contains("tuned TUNING_DIR"), run);
        out.reset();
        assertEquals(0, run(Map.of(), "tuned", "-h"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: sofim tuned TUNING_DIR [--into CONFIG.json]"));
        out.reset();
        assertEquals(0, run(Map.of(), "--version"));
        String v = out.toString(StandardCharsets.UTF_8);
        for (String k : new String[] {"sofim-toolkit ", "deeplearning4j-nn 1.0.0-M2.1", "java 17", "nd4j-backend Cpu"}) {
            assertTrue(v.contains(k), k + " in " + v);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"name\": \"x\", \"type\": \"rmsprop\"}|unknown type 'rmsprop'",
            "{\"name\": \"x\", \"type\": \"sofim\", \"beta\": 1.0}|beta",
            "{\"name\": \"x\", \"type\": \"sofim\", \"rho\": 0}|rho",
            "{\"name\": \"x\", \"type\": \"sofim\", \"reading\": \"fisher\"}|reading must be one of [PAPER, GRADIENT, PRECONDITIONED_GRADIENT], got 'fisher'",
            "{\"name\": \"x\", \"type\": \"adam\", \"learningRate\": -1}|learningRate",
    })
    void badOptimizerExitsTwoNamingTheValue(String optimizer, String expected, @TempDir Path dir) throws IOException {
        Path c = config(dir, optimizer);
        assertEquals(2, run(Map.of(), "run", c.toString(), "--out", dir.resolve("out").toString()));
        assertTrue(err().contains("sofim: error:") && err().contains(expected), err());
        assertTrue(err().contains(c.toString()), "names the config file: " + err());
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }

    @Test
    void usageMistakesExitTwo(@TempDir Path dir) {
        assertEquals(2, run(Map.of()));
        assertEquals(2, run(Map.of(), "train"));
        assertTrue(err().contains("unknown command 'train'"), err());
        assertEquals(2, run(Map.of(), "run"));
        assertEquals(2, run(Map.of(), "run", dir.resolve("missing.json").toString()));
        assertTrue(err().contains("does not exist"), err());
        assertEquals(2, run(Map.of(), "bench", "throughput", "--rounds", "zero"));
        assertTrue(err().contains("--rounds must be a whole number > 0, got 'zero'"), err());
        assertEquals(2, run(Map.of(), "bench", "throughput", "--threads", "0"));
        assertTrue(err().contains("--threads must be a whole number > 0, got '0'"), err());
        assertEquals(2, run(Map.of(), "bench", "throughput", "--model", "resnet"));
        assertTrue(err().contains("--model must be lenet or mlp, got 'resnet'"), err());
        assertEquals(2, run(Map.of(), "bench", "profile", "--model", "resnet"));
        assertTrue(err().contains("--model must be lenet or mlp, got 'resnet'"), err());
        assertEquals(2, run(Map.of(), "bench", "profile", "--batches", "-3"));
        assertTrue(err().contains("--batches must be a whole number > 0, got '-3'"), err());
        assertEquals(2, run(Map.of(), "bench", "profile", "--trainer", "pytorch"));
        assertTrue(err().contains("--trainer must be \"samediff\" or \"dl4j\", got 'pytorch'"), err());
        assertEquals(2, run(Map.of(), "bench", "conv-probe", "--batch-sizes", "64,x"));
        assertTrue(err().contains("--batch-sizes takes whole numbers > 0 separated by commas, got '64,x'"), err());
        assertEquals(2, run(Map.of(), "bench", "conv-probe", "--calls", "0"));
        assertTrue(err().contains("--calls must be a whole number > 0, got '0'"), err());
        assertEquals(2, run(Map.of(), "bench", "workers", "--workers", "1,0", "s.json"));
        assertTrue(err().contains("--workers takes whole numbers > 0 separated by commas, got '1,0'"), err());
        assertEquals(2, run(Map.of(), "bench", "workers"));
        assertTrue(err().contains("expected 'sofim bench workers STUDY.json"), err());
        assertEquals(2, run(Map.of(), "bench", "workers", dir.resolve("missing.json").toString()));
        assertTrue(err().contains("missing.json"), err());
        assertEquals(2, run(Map.of(), "plot", dir.toString()));
        assertTrue(err().contains("no config.json"), err());
        assertEquals(2, run(Map.of(), "run", "c.json", "--bogus"));
        assertTrue(err().contains("unknown option '--bogus' for run; usage: sofim run CONFIG.json (sofim run --help)"), err());
    }

    /** plot --out reads a read-only results folder and writes everything elsewhere; --out on a file is named. */
    @Test
    void plotElsewhereLeavesAReadOnlyFolderAloneAndOutOnAFileIsNamed(@TempDir Path dir) throws IOException {
        Path c = config(dir, "{\"name\": \"s\", \"type\": \"sgd\"}");
        Path results = dir.resolve("results");
        assertEquals(0, run(Map.of(), "run", c.toString(), "--out", results.toString(), "--no-plots"), err());
        String summary = Files.readString(results.resolve("summary.csv"));
        var written = Files.getLastModifiedTime(results.resolve("summary.csv"));
        assertTrue(results.toFile().setWritable(false, false)); // (root ignores it: the checks below hold for root too)
        try {
            assertEquals(0, run(Map.of(), "plot", results.toString(), "--out", dir.resolve("elsewhere").toString()), err());
            assertEquals(summary, Files.readString(dir.resolve("elsewhere/summary.csv")));
            assertTrue(Files.exists(dir.resolve("elsewhere/test-accuracy-vs-evaluations.png")));
            assertEquals(written, Files.getLastModifiedTime(results.resolve("summary.csv")), "the results folder is only read");
            assertTrue(!Files.exists(results.resolve("plots")), "no plots written into the results folder");
        } finally {
            results.toFile().setWritable(true, false);
        }
        Path aFile = Files.writeString(dir.resolve("afile"), "x");
        assertEquals(1, run(Map.of(), "run", c.toString(), "--out", aFile.toString()));
        assertTrue(err().contains(aFile + " is a file"), err());
    }

    @Test
    void badEnvironmentKnobExitsTwo(@TempDir Path dir) throws IOException {
        Path c = config(dir, "{\"name\": \"s\", \"type\": \"sofim\"}");
        assertEquals(2, run(Map.of("SOFIM_EPOCHS", "-3"), "run", c.toString()));
        assertTrue(err().contains("SOFIM_EPOCHS=-3"), err());
    }

    @Test
    void missingDatasetExitsOneSayingWhereItLooked(@TempDir Path dir) throws IOException {
        Path c = dir.resolve("c.json");
        Files.writeString(c, VALID.formatted("{\"name\": \"s\", \"type\": \"sofim\"}")
                .replace("\"dataset\": \"mnist\"", "\"dataset\": \"mnist\", \"dataDir\": \"" + dir.resolve("empty") + "\""));
        assertEquals(1, run(Map.of(), "run", c.toString(), "--out", dir.resolve("out").toString()));
        assertTrue(err().contains("sofim: failed:") && err().contains("empty"), err());
    }

    @Test
    void runWritesResultsAndPlots(@TempDir Path dir) throws IOException {
        Path c = config(dir, "{\"name\": \"s\", \"type\": \"sofim\"}, {\"name\": \"a\", \"type\": \"adam\"}");
        Path outDir = dir.resolve("out");
        assertEquals(0, run(Map.of(), "run", c.toString(), "--out", outDir.toString()), err());
        for (String f : new String[] {"config.json", "run.json", "metrics.csv", "timing.csv", "summary.csv",
                "plots/test-accuracy-vs-epoch.png", "plots/train-loss-vs-time.svg"}) {
            assertTrue(Files.isRegularFile(outDir.resolve(f)), f);
        }
        assertEquals(0, run(Map.of(), "plot", outDir.toString(), "--out", dir.resolve("replot").toString()), err());
        assertTrue(Files.isRegularFile(dir.resolve("replot/test-loss-vs-epoch.png")));
        assertEquals(0, run(Map.of(), "summary", outDir.toString()), err());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("test acc"));
    }

    /** The four optimizer kinds with nothing but their type, on the logistic model: a summary row each. */
    @Test
    void newtonTypeOptimizersRunWithTheirDefaults(@TempDir Path dir) throws IOException {
        Path c = config(dir, "{\"name\": \"s\", \"type\": \"sofim\"}, {\"name\": \"ah\", \"type\": \"adahessian\"}, "
                + "{\"name\": \"lb\", \"type\": \"lbfgs\"}, {\"name\": \"ny\", \"type\": \"nystrom-sgd\"}");
        Path outDir = dir.resolve("out");
        assertEquals(0, run(Map.of(), "run", c.toString(), "--out", outDir.toString()), err());
        List<String> rows = Files.readAllLines(outDir.resolve("summary.csv"));
        for (String name : List.of("s", "ah", "lb", "ny")) {
            assertTrue(rows.stream().anyMatch(r -> r.startsWith(name + ",test_accuracy,")), name + " in " + rows);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("evals/step") && printed.contains("NystromSgd[learningRate=0.1, rank=10, refreshInterval=1, rho=1.0]"),
                printed);
    }

    /** summary --markdown prints the comparison table; tuned refuses a folder evaluated on the test set, naming why. */
    @Test
    void summaryMarkdownAndTunedOnCommittedResults(@TempDir Path dir) throws IOException {
        assertEquals(0, run(Map.of(), "summary", "benchmarks/mnist-lenet-full-rev1", "--markdown"));
        String md = out.toString(StandardCharsets.UTF_8);
        assertTrue(md.startsWith("| optimizer | settings |") && md.contains("reading GRADIENT"), md);
        assertEquals(2, run(Map.of(), "tuned", "benchmarks/mnist-lenet-full-rev1"));
        assertTrue(err().contains("evaluated on the test set") && err().contains("\"evaluateOn\": \"validation\""), err());
        Path c = config(dir, "{\"name\": \"s\", \"type\": \"sofim\"}");
        String before = Files.readString(c);
        assertEquals(2, run(Map.of(), "tuned", "benchmarks/mnist-lenet-full-rev1", "--into", c.toString()));
        assertEquals(before, Files.readString(c), "nothing written");
    }
}
