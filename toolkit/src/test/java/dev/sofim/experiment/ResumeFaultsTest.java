package dev.sofim.experiment;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The resume part of the fault suite (issue 25, items 2, 6, 7, 9, 12, 14): a results folder stopped after epoch 1 is
 * damaged as an outside trial damaged it, then resumed. Each row either gives the right result (the files of an
 * undamaged run, byte for byte: a run that cannot resume restarts, and the same seed gives the same numbers) or a
 * clear error naming the file, with nothing outside the folder touched.
 */
class ResumeFaultsTest {
    private static final ExperimentConfig CONFIG = ExperimentTest.config("faults", 2);

    private static List<String> expected;

    @BeforeAll
    static void undamaged(@TempDir Path tmp) throws IOException {
        experiment().run(tmp.resolve("whole"));
        expected = ExperimentTest.deterministicFiles(tmp.resolve("whole"));
    }

    private static Experiment experiment() {
        return ExperimentTest.experiment(CONFIG);
    }

    /** What a row does to the stopped folder. */
    @FunctionalInterface
    interface Damage {
        void apply(Path dir, Path outside) throws IOException;
    }

    /** A row: the item, the damage, and the error's fragments (none: the resume must give the right result). */
    record Fault(String item, Damage damage, List<String> error) {
        @Override
        public String toString() {
            return item;
        }
    }

    private static Path cp(Path dir, String optimizer) {
        return dir.resolve("checkpoints").resolve(optimizer + "-seed1-epoch1.bin");
    }

    static Stream<Fault> faults() {
        return Stream.of(
                new Fault("2: four bytes of a checkpoint changed", (dir, outside) -> {
                    byte[] b = Files.readAllBytes(cp(dir, "sofim"));
                    for (int i = 0; i < 4; i++) {
                        b[b.length / 2 + i] ^= 0x5a;
                    }
                    Files.write(cp(dir, "sofim"), b);
                }, List.of()),
                new Fault("2: another optimizer's checkpoint and seal", (dir, outside) -> {
                    Files.copy(cp(dir, "adam"), cp(dir, "sofim"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    Files.copy(ResultsStore.seal(cp(dir, "adam")), ResultsStore.seal(cp(dir, "sofim")),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }, List.of()),
                new Fault("2: a checkpoint without its seal", (dir, outside) -> Files.delete(ResultsStore.seal(cp(dir, "sofim"))),
                        List.of()),
                new Fault("7: the last checkpoint deleted", (dir, outside) -> Files.delete(cp(dir, "sofim")), List.of()),
                new Fault("7: metrics.csv emptied to its header", (dir, outside) ->
                        Files.writeString(dir.resolve("metrics.csv"), ResultsStore.METRICS_HEADER + "\n"), List.of()),
                new Fault("12: a leftover checkpoint of another epoch", (dir, outside) -> Files.copy(cp(dir, "sofim"),
                        dir.resolve("checkpoints/sofim-seed1-epoch7.bin")), List.of()),
                new Fault("6: a duplicated metrics row", (dir, outside) -> {
                    List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
                    lines.add(lines.get(1));
                    Files.write(dir.resolve("metrics.csv"), lines);
                }, List.of("metrics.csv", "epochs [1, 1]", "each once")),
                new Fault("6: an epoch-99 row", (dir, outside) -> {
                    List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
                    lines.add(lines.get(1).replaceFirst("^(\\w+),(\\d+),1,", "$1,$2,99,"));
                    Files.write(dir.resolve("metrics.csv"), lines);
                }, List.of("metrics.csv", "99")),
                new Fault("14: text in a number column", (dir, outside) -> {
                    List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
                    String[] row = lines.get(1).split(",");
                    row[3] = "abc";   // train_loss
                    lines.set(1, String.join(",", row));
                    Files.write(dir.resolve("metrics.csv"), lines);
                }, List.of("metrics.csv", "line 2, column train_loss: 'abc' is not a number")),
                new Fault("9: checkpoints/ a link to a folder outside", (dir, outside) -> {
                    Path cps = dir.resolve("checkpoints");
                    try (var s = Files.list(cps)) {
                        for (Path p : s.toList()) {
                            Files.move(p, outside.resolve(p.getFileName()));
                        }
                    }
                    Files.delete(cps);
                    Files.createSymbolicLink(cps, outside);
                    Files.writeString(outside.resolve(".sofim-seed1-epoch1.bin.k2.tmp"), "looks like a leftover, is not");
                }, List.of("checkpoints is not a folder", "does not follow links")),
                new Fault("9: plots/ a link to a folder outside", (dir, outside) ->
                        Files.createSymbolicLink(dir.resolve("plots"), outside), List.of("plots is not a folder")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void aDamagedFolderResumesRightOrSaysWhy(Fault f, @TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("run");
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "not the toolkit's");
        experiment().run(dir, 1);
        f.damage().apply(dir, outside);
        List<String> outsideBefore = listing(outside);
        if (f.error().isEmpty()) {
            Results r = experiment().run(dir);
            assertEquals(expected, ExperimentTest.deterministicFiles(dir), "the resumed folder equals an undamaged run");
            assertEquals(CONFIG.optimizers().size() * CONFIG.seeds().size() * CONFIG.epochs(), r.records().size());
            try (var s = Files.list(dir.resolve("checkpoints"))) {
                assertFalse(s.anyMatch(p -> p.getFileName().toString().contains("epoch7")), "leftovers are deleted");
            }
        } else {
            Exception e = assertThrows(IOException.class, () -> experiment().run(dir));
            for (String x : f.error()) {
                assertTrue(e.getMessage().contains(x), "'" + x + "' missing from: " + e.getMessage());
            }
        }
        assertEquals("not the toolkit's", Files.readString(outside.resolve("keep.txt")));
        assertEquals(outsideBefore, listing(outside), "nothing outside the results folder is touched");
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Item 21: a finished run printed "resuming at epoch N+1" when its folder was run again. */
    @org.junit.jupiter.api.Test
    void onlyARunThatTrainsSaysItResumes(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("run");
        experiment().run(dir, 1);
        java.io.ByteArrayOutputStream resumed = new java.io.ByteArrayOutputStream();
        experiment().run(dir, new ConsoleProgress(new java.io.PrintStream(resumed, true), false));
        assertTrue(resumed.toString().contains("sofim seed 1: resuming at epoch 2"), resumed.toString());
        java.io.ByteArrayOutputStream again = new java.io.ByteArrayOutputStream();
        experiment().run(dir, new ConsoleProgress(new java.io.PrintStream(again, true), false));
        assertFalse(again.toString().contains("resuming"), again.toString());
    }

    @org.junit.jupiter.api.Test
    void aFinishedRunKeepsItsTrainedNetworkWhenTheFolderIsOpenedAgain(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("run");
        experiment().run(dir);
        List<String> before = listing(dir.resolve("checkpoints"));
        assertEquals(2 * CONFIG.optimizers().size() * CONFIG.seeds().size(), before.size(), "a checkpoint and its seal per run");
        experiment().run(dir);
        assertEquals(before, listing(dir.resolve("checkpoints")));
    }

    /** Item 15: an L-BFGS history of 1e9 or a Nyström rank of 100,000 ended in an OutOfMemoryError and a folder in the way. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"lbfgs:history:1000000000", "nystrom-sgd:rank:100000"})
    void memorySizedSettingsAreCheckedBeforeAnythingIsWritten(String row, @TempDir Path tmp) {
        String[] f = row.split(":");
        ExperimentConfig c = CONFIG.toBuilder().optimizers(List.of(OptimizerSpec.of(f[0], f[0],
                java.util.Map.of(f[1], Integer.parseInt(f[2]))))).build();
        Path dir = tmp.resolve("run");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentTest.experiment(c).run(dir));
        assertTrue(e.getMessage().contains("optimizer '" + f[0] + "'") && e.getMessage().contains("GB of state")
                && e.getMessage().contains("-Xmx"), e.getMessage());
        assertFalse(Files.exists(dir), "nothing is written: the corrected config can use the folder");
    }
}
