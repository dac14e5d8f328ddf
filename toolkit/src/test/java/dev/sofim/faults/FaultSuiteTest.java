package dev.sofim.faults;

import dev.sofim.experiment.ConfigJson;
import dev.sofim.experiment.Names;
import dev.sofim.sweep.Sweep;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault suite: one row per reproduced defect of an outside trial (issue 25's numbering), each the input that was
 * silently wrong or unclear and what a user must get instead: an error naming the value or key and the fix, with
 * nothing written. Future issues add rows.
 */
class FaultSuiteTest {
    @TempDir
    Path dir;

    /** A row: the item, the input, and the fragments the error must contain. */
    record Fault(String item, Input input, List<String> expected) {
        @Override
        public String toString() {
            return item;
        }
    }

    /** What a row feeds the toolkit: a config, a sweep, or a name. */
    sealed interface Input permits Config, SweepFile, Name {
    }

    record Config(String json) implements Input {
    }

    record SweepFile(String json) implements Input {
    }

    record Name(String what, String value) implements Input {
    }

    private static final String CONFIG = "{\"name\": \"%s\", \"dataset\": \"mnist\", \"model\": \"mlp\", \"epochs\": 1, "
            + "\"batchSize\": 8, \"seeds\": %s, \"optimizers\": [{\"name\": \"sofim\", \"type\": \"sofim\"}, "
            + "{\"name\": \"sgd\", \"type\": \"sgd\"}]}";

    private static String config(String name, String seeds) {
        return String.format(CONFIG, name, seeds);
    }

    private static String sweep(String name, String axes) {
        return "{\"name\": \"" + name + "\", \"base\": " + config("base", "[1]") + ", \"axes\": {" + axes + "}}";
    }

    static Stream<Fault> faults() {
        return Stream.of(
                new Fault("3: a global and a scoped axis on one setting", new SweepFile(sweep("s",
                        "\"learningRate\": [0.1, 1], \"sofim.learningRate\": [10]")),
                        List.of("'learningRate' and 'sofim.learningRate' both set sofim's learningRate", "keep one")),
                new Fault("3: a points axis and a setting axis on one setting", new SweepFile(sweep("s",
                        "\"sofim\": [{\"learningRate\": 0.1}], \"learningRate\": [1]")),
                        List.of("both set sofim's learningRate")),
                new Fault("4: a duplicate key in a config", new Config(
                        config("t", "[1]").replace("\"epochs\": 1,", "\"epochs\": 1, \"epochs\": 3,")),
                        List.of("duplicate key epochs", "delete one")),
                new Fault("4: a duplicate key deep inside", new Config(
                        config("t", "[1]").replace("\"type\": \"sgd\"}", "\"type\": \"sgd\", \"type\": \"adam\"}")),
                        List.of("duplicate key optimizers[1].type")),
                new Fault("4: a sweep's second seed axis", new SweepFile(sweep("s", "\"seed\": [1, 2], \"seed\": [3]")),
                        List.of("duplicate key axes.seed")),
                new Fault("5: a repeated seed", new Config(config("t", "[1, 1]")),
                        List.of("seeds must be distinct", "[1, 1]")),
                new Fault("5: a repeated sweep value", new SweepFile(sweep("s", "\"seed\": [1, 2, 1]")),
                        List.of("sweep axis 'seed' lists 1 twice")),
                new Fault("10: a config named ..", new Config(config("..", "[1]")), List.of("name must be", "got '..'")),
                new Fault("10: a config named .", new Config(config(".", "[1]")), List.of("got '.'")),
                new Fault("10: a sweep named ..", new SweepFile(sweep("..", "\"seed\": [1]")), List.of("sweep name", "'..'")),
                new Fault("10: a hidden name", new Name("optimizer name", ".sofim"), List.of("starting with a letter or digit")),
                new Fault("19: a seed of 1e15", new SweepFile(sweep("s", "\"seed\": [1e15, 2]")), List.of()),
                new Fault("19: a seed beyond 2^53", new SweepFile(sweep("s", "\"seed\": [1e17]")),
                        List.of("1.0E17", "at most 2^53")),
                new Fault("17: a plan with a batch larger than the training images", new SweepFile(
                        sweep("s", "\"batchSize\": [100, 5000]").replace("\"batchSize\": 8,",
                                "\"batchSize\": 8, \"data\": {\"trainSize\": 1000},")),
                        List.of("batchSize 5000 exceeds the 1000 training images")),
                new Fault("17: more images than the training set has", new Config(config("t", "[1]").replace(
                        "\"batchSize\": 8,", "\"batchSize\": 8, \"data\": {\"trainSize\": 55000, \"validationSize\": 10000},")),
                        List.of("trainSize 55000 plus validationSize 10000 exceed the 60000 images of MNIST")),
                new Fault("20: a 300-character optimizer name", new Name("optimizer name", "s".repeat(300)),
                        List.of("1 to " + Names.MAX_LENGTH, "(300 characters)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void everyFaultGivesAClearErrorAndWritesNothing(Fault f) throws Exception {
        Runnable action;
        if (f.input() instanceof Config c) {
            action = () -> ConfigJson.parse(c.json());
        } else if (f.input() instanceof SweepFile s) {
            action = () -> {
                try {
                    Sweep.parse(s.json(), dir).cells();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
        } else {
            Name n = (Name) f.input();
            action = () -> Names.check(n.what(), n.value());
        }
        if (f.expected().isEmpty()) {
            action.run(); // rightly accepted
        } else {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
            for (String x : f.expected()) {
                assertTrue(e.getMessage().contains(x), "'" + x + "' missing from: " + e.getMessage());
            }
        }
        try (Stream<Path> written = Files.list(dir)) {
            assertEquals(List.of(), written.toList(), "nothing is written");
        }
    }

    /** Item 18: a truncated sweep.json was reported as another sweep, whose fix (delete it) discards every cell. */
    @org.junit.jupiter.api.Test
    void aTruncatedSweepFileIsSaidDamagedAndNoCellIsLost() throws Exception {
        Sweep sweep = Sweep.parse(sweep("s", "\"seed\": [1, 2]"), dir);
        Path store = dir.resolve("store");
        dev.sofim.sweep.SweepStore.open(store, sweep);
        Path file = store.resolve("sweep.json");
        String whole = Files.readString(file);
        Files.writeString(file, whole.substring(0, whole.length() / 2));
        Path cell = Files.createDirectories(store.resolve("cells").resolve(sweep.cells().get(0).id()));
        Files.writeString(cell.resolve("metrics.csv"), "kept");
        IllegalArgumentException of = assertThrows(IllegalArgumentException.class, () -> dev.sofim.sweep.SweepStore.of(store));
        assertTrue(of.getMessage().contains(file + " is damaged") && of.getMessage().contains("cells are kept"), of.getMessage());
        dev.sofim.sweep.SweepStore.open(store, sweep);   // every cell is this sweep's: written again
        assertEquals(whole, Files.readString(file));
        assertEquals("kept", Files.readString(cell.resolve("metrics.csv")));
        Files.writeString(file, "{");
        Files.createDirectories(store.resolve("cells").resolve("0123456789ab"));
        IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
                () -> dev.sofim.sweep.SweepStore.open(store, sweep));
        assertTrue(foreign.getMessage().contains("0123456789ab") && foreign.getMessage().contains("is damaged"),
                foreign.getMessage());
        assertEquals("{", Files.readString(file), "nothing is overwritten");
    }
}
