package dev.sofim.study;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Study files, the quasi-random sequence and the search-space knobs. */
class StudySpecTest {
    static final Path QUICK = Path.of("examples/studies/quick.json");
    static final Path LENET = Path.of("examples/studies/lenet.json");

    @Test
    void theShippedStudiesRoundTrip() throws IOException {
        for (Path f : List.of(QUICK, LENET)) {
            StudySpec s = StudySpec.read(f);
            assertEquals(s, StudySpec.parse(s.toJson()), f.toString());
            assertEquals(s.toJson(), StudySpec.parse(s.toJson()).toJson(), f.toString());
        }
        StudySpec lenet = StudySpec.read(LENET);
        assertEquals(7, lenet.methods().size());
        assertEquals(List.of("mnist", "fashion"), lenet.workloads().stream().map(StudySpec.Workload::name).toList());
        assertEquals(5, lenet.seeds(lenet.method("lbfgs")).size());
        assertEquals(10, lenet.seeds(lenet.method("sofim")).size());
        assertTrue(lenet.method("lbfgs").space().containsKey("lineSearch"), "L-BFGS's line search is searched");
        assertTrue(lenet.method("nystrom-sgd").space().keySet().containsAll(List.of("rank", "refreshInterval")));
    }

    private static String edited(Consumer<JsonObject> edit) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(QUICK)).getAsJsonObject();
        edit.accept(o);
        return o.toString();
    }

    private static String error(Consumer<JsonObject> edit) throws IOException {
        String json = edited(edit);
        return assertThrows(IllegalArgumentException.class, () -> StudySpec.parse(json)).getMessage();
    }

    private static JsonObject method(JsonObject o, int i) {
        return o.getAsJsonArray("methods").get(i).getAsJsonObject();
    }

    @Test
    void everyKnobIsSearchedOrFixedWithAReason() throws IOException {
        assertTrue(error(o -> method(o, 0).getAsJsonObject("fixed").remove("beta"))
                .contains("method sofim: knob 'beta' of type sofim is neither in its space nor fixed with a reason"));
        assertTrue(error(o -> method(o, 0).getAsJsonObject("fixed").getAsJsonObject("beta").addProperty("reason", " "))
                .contains("fixed knob 'beta' needs a reason"));
        assertTrue(error(o -> method(o, 1).getAsJsonObject("space").add("mu", JsonParser.parseString("{\"log\": [0.1, 1]}")))
                .contains("'mu' is not a knob of type sgd"));
        assertTrue(error(o -> method(o, 1).getAsJsonObject("space").add("learningRate", JsonParser.parseString("{\"log\": [1, 0.1]}")))
                .contains("a log range needs 0 < lo < hi"));
        assertTrue(error(o -> o.addProperty("colour", "red")).contains("unknown key 'colour' in study"));
        assertTrue(error(o -> o.getAsJsonObject("targets").addProperty("reference", "adam"))
                .contains("targets.reference 'adam' is not a method"));
        assertTrue(error(o -> o.getAsJsonArray("workloads").get(0).getAsJsonObject().addProperty("validationSize", 0))
                .contains("validationSize must be >= 1"));
        assertTrue(error(o -> o.getAsJsonArray("workloads").get(0).getAsJsonObject().getAsJsonObject("tuningTarget")
                .addProperty("metric", "test_accuracy")).contains("tuningTarget.metric must be train_loss, validation_loss"));
    }

    @Test
    void aScheduleOnlyForRulesThatHaveOne() throws IOException {
        String adahessian = "{\"name\": \"a\", \"type\": \"adahessian\", \"space\": {\"learningRate\": {\"log\": [0.01, 1]}},"
                + "\"fixed\": {\"beta1\": {\"value\": 0.9, \"reason\": \"r\"}, \"beta2\": {\"value\": 0.999, \"reason\": \"r\"},"
                + "\"epsilon\": {\"value\": 1e-4, \"reason\": \"r\"}, \"hessianPower\": {\"value\": 1, \"reason\": \"r\"},"
                + "\"hessianInterval\": {\"value\": 1, \"reason\": \"r\"}, \"spatialAveraging\": {\"value\": true, \"reason\": \"r\"}},"
                + "\"schedule\": {\"type\": \"warmup-cosine\", \"warmupFraction\": 0.05}}";
        assertTrue(error(o -> o.getAsJsonArray("methods").add(JsonParser.parseString(adahessian)))
                .contains("type adahessian has no learning-rate schedule"));
        StudySpec s = StudySpec.parse(edited(o -> method(o, 1).add("schedule",
                JsonParser.parseString("{\"type\": \"warmup-cosine\", \"warmupFraction\": 0.05, \"minFactor\": 0}"))));
        Study study = Study.planning(s);
        var sgd = study.optimizer(s.method("sgd-momentum"), s.workloads().get(0), Map.of("learningRate", 0.1, "momentum", 0.9));
        // 5% of the 180-step budget: 9 warm-up steps, cosine to 0 at step 180
        assertEquals(dev.sofim.optim.LearningRateSchedule.warmupCosine(9, 180, 0),
                ((dev.sofim.optim.Sgd) sgd.rule()).schedule());
    }

    @Test
    void haltonPointsStratifyAndAreTheSameForASeed() {
        Halton h = new Halton(3, 7);
        for (int k : new int[] {2, 4, 8, 16}) {
            // the first k points of the (scrambled) base-2 coordinate fall one in each of k equal bins
            boolean[] bins = new boolean[k];
            for (int i = 1; i <= k; i++) {
                double u = h.point(i)[0];
                assertTrue(u >= 0 && u < 1);
                int b = (int) (u * k);
                assertTrue(!bins[b], "two of the first " + k + " points in bin " + b);
                bins[b] = true;
            }
        }
        // base 3: the first 9 points, one in each ninth
        boolean[] ninths = new boolean[9];
        for (int i = 1; i <= 9; i++) {
            ninths[(int) (h.point(i)[1] * 9)] = true;
        }
        for (boolean b : ninths) {
            assertTrue(b);
        }
        assertTrue(Arrays.equals(h.point(5), new Halton(3, 7).point(5)));
        assertTrue(!Arrays.equals(h.point(5), new Halton(3, 8).point(5)));
    }

    @Test
    void knobsMapCoordinatesAndTheEdgeRuleShiftsHalfTheRange() {
        Knob lr = Knob.log(0.001, 1);
        assertEquals(0.001, (double) lr.value(0), 1e-15);
        assertEquals(Math.sqrt(0.001), (double) lr.value(0.5), 1e-15);
        assertEquals(0.5, lr.position(Math.sqrt(0.001)), 1e-12);
        // a winner at 0.95 of the log range: shifted up by half its width (√1000)
        Knob up = lr.shiftedToward(0.001 * Math.pow(1000, 0.95));
        assertEquals(0.001 * Math.sqrt(1000), up.lo(), 1e-12);
        assertEquals(Math.sqrt(1000), up.hi(), 1e-9);
        assertEquals(lr, lr.shiftedToward(0.03), "inside the inner 80%: unchanged");
        assertEquals(new Knob(Knob.Scale.LOG, 0.001 / Math.sqrt(1000), 1 / Math.sqrt(1000), false, null),
                lr.shiftedToward(0.0011));
        Knob history = new Knob(Knob.Scale.LINEAR, 3, 30, true, null);
        assertEquals(17.0, history.value(0.5));
        assertEquals(history, history.shiftedToward(29), "linear ranges are not shifted");
        // whole-number log ranges end at 1: a winner at 1 keeps the range, one near 4 moves it down to 1 at most
        Knob interval = new Knob(Knob.Scale.LOG, 1, 20, true, null);
        assertEquals(interval, interval.shiftedToward(1), "at the smallest whole number: unchanged");
        Knob rank = new Knob(Knob.Scale.LOG, 4, 64, true, null);
        assertEquals(new Knob(Knob.Scale.LOG, 1, 16, true, null), rank.shiftedToward(4));
        for (double u = 0; u <= 1; u += 0.01) {
            assertTrue(((Double) rank.shiftedToward(4).value(u)) >= 1, "whole-number values stay >= 1");
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new Knob(Knob.Scale.LOG, 0.5, 20, true, null));
        assertTrue(bad.getMessage().contains("0.5"), bad.getMessage());
        Knob choice = Knob.choice(true, false);
        assertEquals(true, choice.value(0.49));
        assertEquals(false, choice.value(0.5));
    }
}
