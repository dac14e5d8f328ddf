package dev.sofim.experiment;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
    @org.junit.jupiter.api.Test
    void notebook03sConclusionIsItsCommittedFullRun() throws IOException {
        Path dir = Path.of("benchmarks", "ablations-mlp-full");
        Results run = Results.load(dir);
        assertEquals(10_000, run.config().data().trainSize(), "the FULL size");
        assertEquals(java.util.List.of(1L, 2L), run.config().seeds());
        assertFalse(Files.exists(dir.resolve("checkpoints")), "checkpoints are not committed");
        String table = run.table();
        assertTrue(Files.readString(dir.resolve("notebook-output.txt")).contains(table),
                "the committed output is the table its files give");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\| [^|\\n]+ \\| (0\\.\\d{4}) \\| (\\d+\\.\\d{4}) \\|")
                .matcher(Files.readString(Path.of("../notebooks/03-ablations.ipynb")));
        int rows = 0;
        while (m.find()) {
            rows++;
            assertTrue(table.contains(" " + m.group(1) + " ") || table.contains(" " + m.group(1) + "\n"), m.group());
            assertTrue(table.contains(" " + m.group(2) + " "), m.group());
        }
        assertEquals(run.config().optimizers().size(), rows, "one conclusion row per ablation");
    }
}
