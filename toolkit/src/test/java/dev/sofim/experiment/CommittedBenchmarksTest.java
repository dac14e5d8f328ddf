package dev.sofim.experiment;

import com.google.gson.JsonParser;
import dev.sofim.sweep.Cell;
import dev.sofim.sweep.SweepStore;
import dev.sofim.sweep.SweepSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed comparison is what its configs say: each tuning grid in {@code benchmarks/} ran the grid
 * config in {@code examples/} on the validation split, the comparison config uses exactly the settings that
 * grid chose, and the full-size results folder ran that config (every optimizer, seed and epoch).
 */
class CommittedBenchmarksTest {

    @ParameterizedTest
    @CsvSource({"mnist-lenet,mnist-lenet-tune", "fashion-lenet,fashion-lenet-tune", "mnist-lenet-samediff,mnist-lenet-tune", "fashion-lenet-samediff,fashion-lenet-tune"})
    void comparisonUsesWhatTheValidationGridChose(String comparison, String grid) throws IOException {
        ExperimentConfig gridConfig = ConfigJson.read(Path.of("examples", grid + ".json"));
        Results tuning = Results.load(Path.of("benchmarks", grid));
        assertEquals(gridConfig, tuning.config(), "the committed tuning ran the committed grid");
        assertEquals(ExperimentConfig.EvaluateOn.VALIDATION, tuning.config().evaluateOn(), "chosen without the test set");
        assertEquals(gridConfig.optimizers().size() * gridConfig.epochs(), tuning.records().size() + tuning.divergences().stream()
                .mapToInt(d -> gridConfig.epochs() - d.epoch() + 1).sum(), "every setting ran (or diverged)");

        ExperimentConfig config = ConfigJson.read(Path.of("examples", comparison + ".json"));
        assertEquals(tuning.tuned(), config.optimizers());

        Results full = Results.load(Path.of("benchmarks", comparison + "-full"));
        assertEquals(config, full.config());
        assertEquals(config.optimizers().size() * config.seeds().size() * config.epochs(), full.records().size());
        assertFalse(Files.exists(Path.of("benchmarks", comparison + "-full", "checkpoints")), "checkpoints are not committed");
        assertTrue(Files.readString(Path.of("benchmarks", comparison + "-full", "summary.csv")).contains("mean_epochs"));
    }

    /**
     * Notebook 03's conclusion is its committed FULL run: the folder's table is what the notebook printed, and every
     * row of the conclusion's table (test accuracy, test loss) is in it, one row an ablation.
     */
    @Test
    void notebook03sConclusionIsItsCommittedFullRun() throws IOException {
        Path dir = Path.of("benchmarks", "ablations-mlp-full");
        Results run = Results.load(dir);
        assertEquals(10_000, run.config().data().trainSize(), "the FULL size");
        assertEquals(List.of(1L, 2L), run.config().seeds());
        assertFalse(Files.exists(dir.resolve("checkpoints")), "checkpoints are not committed");
        String table = run.table();
        assertTrue(Files.readString(dir.resolve("notebook-output.txt")).contains(table),
                "the committed output is the table its files give");
        Matcher m = Pattern.compile("\\| [^|\\n]+ \\| (0\\.\\d{4}) \\| (\\d+\\.\\d{4}) \\|")
                .matcher(Files.readString(Path.of("../notebooks/03-ablations.ipynb")));
        int rows = 0;
        while (m.find()) {
            rows++;
            assertTrue(table.contains(" " + m.group(1) + " ") || table.contains(" " + m.group(1) + "\n"), m.group());
            assertTrue(table.contains(" " + m.group(2) + " "), m.group());
        }
        assertEquals(run.config().optimizers().size(), rows, "one conclusion row per ablation");
    }

    /**
     * Notebook 04's conclusion is its committed FULL run: the sweep is the notebook's grid (its knobs' learning rates and
     * ρ) at the FULL size, chosen on the validation split; every cell finished and none keeps checkpoints; what the
     * notebook printed is the folder's table; the conclusion's table is the folder's grid to three decimals; and every
     * other accuracy it quotes is a cell of that table, a cell of the committed seed-101 grid, or the gap between the
     * defaults' cell and the best.
     */
    @Test
    void notebook04sConclusionIsItsCommittedFullRun() throws IOException {
        Path dir = Path.of("benchmarks", "hyperparameters-mlp-full");
        SweepStore store = SweepStore.of(dir);
        ExperimentConfig base = store.sweep().base();
        assertEquals(10_000, base.data().trainSize(), "the FULL size");
        assertEquals(5_000, base.data().validationSize(), "the FULL size");
        assertEquals(ExperimentConfig.EvaluateOn.VALIDATION, base.evaluateOn(), "chosen without the test set");
        String notebook = Files.readString(Path.of("../notebooks/04-hyperparameters.ipynb"));
        List<Double> rates = doubles(SweepSummary.axis(store.sweep(), "learningRate"));
        List<Double> rhos = doubles(SweepSummary.axis(store.sweep(), "rho"));
        assertEquals(knob(notebook, "LEARNING_RATES"), rates, "the notebook's learning rates");
        assertEquals(knob(notebook, "RHOS"), rhos, "the notebook's rho");
        for (Cell c : store.sweep().cells()) {
            assertTrue(store.finished(c), "cell " + c.id() + " finished");
            assertFalse(Files.exists(store.cellDir(c).resolve("checkpoints")), "checkpoints are not committed");
        }
        String printed = Files.readString(dir.resolve("notebook-output.txt"));
        assertTrue(printed.contains(SweepSummary.csv(store)), "the committed output is the table its files give");

        String conclusion = markdownCell(notebook, "## Conclusion");
        double[][] grid = SweepSummary.grid(store, "learningRate", "rho", SweepSummary.last(Metric.TEST_ACCURACY));
        Set<String> quotable = new HashSet<>();   // the table's cells, then what else the prose may quote
        int rows = 0;
        Matcher row = Pattern.compile("(?m)^\\| ([0-9.]+) \\|((?: [0-9.]+ \\|)+)$").matcher(conclusion);
        while (row.find()) {
            rows++;
            int y = rhos.indexOf(Double.parseDouble(row.group(1)));
            assertTrue(y >= 0, "a row of a rho the sweep has: " + row.group());
            String[] cells = row.group(2).replace("|", " ").trim().split("\\s+");
            assertEquals(rates.size(), cells.length, row.group());
            for (int x = 0; x < rates.size(); x++) {
                assertEquals(String.format(Locale.ROOT, "%.3f", grid[y][x]), cells[x], "rho " + rhos.get(y) + ", learning rate "
                        + rates.get(x));
                quotable.add(cells[x]);
            }
        }
        assertEquals(rhos.size(), rows, "one conclusion row per rho");

        List<String> seed101 = Files.readAllLines(Path.of("benchmarks", "mnist-mlp-tune", "tuning.csv"));
        for (String line : seed101.subList(1, seed101.size())) {
            double accuracy = Double.parseDouble(line.split(",")[4]);
            quotable.add(String.format(Locale.ROOT, "%.3f", accuracy));
            quotable.add(String.format(Locale.ROOT, "%.4f", accuracy));
        }
        double best = java.util.Arrays.stream(grid).flatMapToDouble(java.util.Arrays::stream).max().orElseThrow();
        double defaults = grid[rhos.indexOf(10.0)][rates.indexOf(3.0)];
        quotable.add(String.format(Locale.ROOT, "%.3f", best - defaults));
        Matcher number = Pattern.compile("\\b0\\.\\d{3,4}\\b").matcher(conclusion.replaceAll("(?m)^\\|.*$", ""));
        int quoted = 0;
        while (number.find()) {
            quoted++;
            assertTrue(quotable.contains(number.group()), "the conclusion quotes " + number.group() + ", which no committed "
                    + "file gives");
        }
        assertTrue(quoted >= 10, "the prose quotes the grid");
    }

    private static List<Double> doubles(List<Object> values) {
        return values.stream().map(v -> ((Number) v).doubleValue()).toList();
    }

    /** The values of a knob {@code List<Double> NAME = List.of(...);} in a notebook's source. */
    private static List<Double> knob(String notebook, String name) {
        Matcher m = Pattern.compile("List<Double> " + name + " = List.of\\(([^)]*)\\)").matcher(notebook);
        assertTrue(m.find(), "the notebook has the knob " + name);
        return java.util.Arrays.stream(m.group(1).split(",")).map(String::trim).map(Double::parseDouble).toList();
    }

    /** The text of the notebook's Markdown cell that starts with {@code heading}. */
    private static String markdownCell(String notebook, String heading) {
        for (var cell : JsonParser.parseString(notebook).getAsJsonObject().getAsJsonArray("cells")) {
            var c = cell.getAsJsonObject();
            StringBuilder text = new StringBuilder();
            c.getAsJsonArray("source").forEach(l -> text.append(l.getAsString()));
            if (c.get("cell_type").getAsString().equals("markdown") && text.toString().startsWith(heading)) {
                return text.toString();
            }
        }
        throw new AssertionError("the notebook has no Markdown cell starting with " + heading);
    }
}
