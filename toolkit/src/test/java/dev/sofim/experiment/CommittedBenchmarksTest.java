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
}
