package dev.sofim.experiment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What opening a results folder does to what an interrupted run left. */
class ResultsStoreTest {

    @Test
    void openingSweepsTempFilesAKilledWriteLeft(@TempDir Path dir) throws IOException {
        ExperimentConfig c = ExperimentTest.config("sweep", 1);
        ResultsStore.open(dir, c);
        Files.createDirectories(dir.resolve("checkpoints"));
        Path leftover = Files.writeString(dir.resolve("checkpoints/.sofim-seed1-epoch1.zip.4k2.tmp"), "partial zip");
        Path metricsTemp = Files.writeString(dir.resolve(".metrics.csv.9x.tmp"), "partial");
        ResultsStore.open(dir, c);
        assertFalse(Files.exists(leftover));
        assertFalse(Files.exists(metricsTemp));
        assertTrue(Files.exists(dir.resolve("config.json")));
    }

    /** A finished run needs no checkpoint: shared results folders (checkpoints left out) keep their rows. */
    @Test
    void finishedRunsWithoutCheckpointsAreKept(@TempDir Path tmp) throws IOException {
        ExperimentConfig c = ExperimentTest.config("kept", 1);
        Path dir = tmp.resolve("r");
        Results first = ExperimentTest.experiment(c).run(dir);
        try (var s = Files.walk(dir.resolve("checkpoints"))) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        assertEquals(first.records().size(), ResultsStore.open(dir, c).records().size());
    }

    /** Issue 25, item 14: a full disk during a checkpoint said "No space left on device" and no path. */
    @Test
    void aFailedCheckpointWriteNamesTheFileAndKeepsTheFolder(@TempDir Path dir) throws IOException {
        ExperimentConfig c = ExperimentTest.config("full", 1);
        ResultsStore store = ResultsStore.open(dir, c);
        EpochRecord r = new EpochRecord("sofim", 1, 1, 0.5, 0.5, 0.9, 1, 0.1, 12, 12);
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> store.saveEpoch(r, file -> {
            Files.writeString(file, "half");
            throw new IOException("No space left on device");
        }, java.util.List.of()));
        assertTrue(e.getMessage().contains(store.checkpointFile("sofim", 1, 1).toString())
                && e.getMessage().contains("No space left on device"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("metrics.csv")), "no row for an epoch without its checkpoint");
        try (var s = Files.list(dir.resolve("checkpoints"))) {
            assertEquals(0, s.count(), "no partial checkpoint and no seal left");
        }
    }
}
