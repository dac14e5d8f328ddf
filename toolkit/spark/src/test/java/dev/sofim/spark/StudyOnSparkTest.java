package dev.sofim.spark;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sofim.study.Study;
import dev.sofim.study.StudyReport;
import dev.sofim.study.StudySpec;
import dev.sofim.sweep.LocalRunner;
import dev.sofim.sweep.SweepRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A small study (the quick study shrunk: 2 trials, 2 seeds, 60 gradient evaluations) on two worker processes and on
 * Spark {@code local[2]}: the same tuning choices, the same frozen targets and the same report, wall-clock sections
 * aside.
 */
class StudyOnSparkTest {
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    static StudySpec tiny() throws Exception {
        JsonObject o = JsonParser.parseString(Files.readString(Path.of("../examples/studies/quick.json"))).getAsJsonObject();
        o.getAsJsonObject("tuning").addProperty("trials", 2);
        JsonArray seeds = new JsonArray();
        seeds.add(1);
        seeds.add(2);
        o.add("seeds", seeds);
        JsonObject w = o.getAsJsonArray("workloads").get(0).getAsJsonObject();
        w.addProperty("budget", 60);
        w.addProperty("trainSize", 1000);
        w.addProperty("validationSize", 500);
        w.addProperty("testSize", 500);
        w.addProperty("trainEvalSize", 500);
        return StudySpec.parse(o.toString());
    }

    static String study(Path dir, SweepRunner runner) throws Exception {
        Study s = Study.open(tiny(), dir);
        s.tune(runner, QUIET);
        s.freezeTargets(QUIET);
        s.run(runner, QUIET);
        StudyReport.write(s);
        return Files.readString(dir.resolve(Study.TUNING_FILE)) + Files.readString(dir.resolve(Study.TARGETS_FILE))
                + StudyReport.deterministic(Files.readString(dir.resolve(StudyReport.FILE)));
    }

    @Test
    void workersAndSparkGiveTheSameTuningTargetsAndReport(@TempDir Path dir) throws Exception {
        String workers = study(dir.resolve("workers"), new LocalRunner(2, List.of()));
        String spark = study(dir.resolve("spark"), new SparkRunner("local[2]"));
        assertEquals(workers, spark);
    }
}
