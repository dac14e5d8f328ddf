package dev.sofim.study;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sofim.cli.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The small study ({@code examples/studies/quick.json}: an MLP on 3,000 MNIST images, SOFIM and SGD with momentum, 4
 * trials, 3 seeds) end to end through the command line, the same code path as the full study: plan, tune, targets,
 * run, report; then the report's numbers recomputed from the metrics files, a regenerated report, and an edited target
 * refused.
 */
class StudyEndToEndTest {
    @TempDir
    static Path tmp;
    static Path dir;
    static String report;

    record Out(int status, String out, String err) {
    }

    static Out sofim(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of()).run(args);
        return new Out(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void runTheStudy() throws IOException {
        dir = tmp.resolve("quick");
        Out all = sofim("study", "all", StudySpecTest.QUICK.toString(), "--out", dir.toString());
        assertEquals(0, all.status(), all.err());
        report = Files.readString(dir.resolve(StudyReport.FILE));
    }

    @Test
    void planPrintsTrialsRunsEvaluationsAndCoreHours() {
        Out plan = sofim("study", "plan", StudySpecTest.LENET.toString(), "--seconds-per-evaluation", "0.05",
                "--seconds-per-point", "0.5");
        assertEquals(0, plan.status(), plan.err());
        assertTrue(plan.out().contains("tuning: 84 trials (7 methods × 12)"), plan.out());
        assertTrue(plan.out().contains("final: 55 runs"), plan.out());
        // (84 + 55) runs × 2 workloads × 3910 evaluations
        assertTrue(plan.out().contains("gradient evaluations: " + (84 + 55) * 2 * 3910L), plan.out());
        assertTrue(plan.out().matches("(?s).*estimate: [0-9.]+ core-hours.*"), plan.out());
        Out bad = sofim("study", "plan", StudySpecTest.LENET.toString(), "--seconds-per-evaluation", "fast");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--seconds-per-evaluation must be a number > 0"), bad.err());
    }

    @Test
    void theReportHasEveryTableAndPlot() {
        for (String s : List.of("## Protocol", "## Tuning", "## Targets (frozen before the final runs)",
                "| target | method | success | 95% interval | median evaluations | 95% interval | restricted mean | median steps |",
                "against each method, paired by seed", "| Holm p |", "median seconds",
                "## Performance profiles over workloads × targets", "what regime SOFIM runs in", "## Conclusion",
                "plots/mnist-mlp-test-accuracy-vs-evaluations.png", "plots/mnist-mlp-test-accuracy-vs-seconds.png",
                "plots/mnist-mlp-train-loss-vs-evaluations.png", "plots/profile-evaluations.png", "plots/profile-seconds.png",
                "plots/mnist-mlp-diagnostics-fisher-ratio.png", "plots/mnist-mlp-diagnostics-effective-step.png",
                "plots/mnist-mlp-diagnostics-step-cosine.png", "is an independent test of the abstract's claim")) {
            assertTrue(report.contains(s), "report lacks '" + s + "'");
        }
        for (String png : List.of("profile-evaluations", "mnist-mlp-test-loss-vs-evaluations", "mnist-mlp-diagnostics-fisher-ratio")) {
            assertTrue(Files.exists(dir.resolve("plots/" + png + ".png")) && Files.exists(dir.resolve("plots/" + png + ".svg")), png);
        }
        assertTrue(Files.exists(dir.resolve(Study.TUNING_FILE)) && Files.exists(dir.resolve(Study.SHIFTS_FILE)));
    }

    /** sgd-momentum's success and median time to a target, from the final runs' evals.csv files alone. */
    @Test
    void oneMethodsTimeToTargetRecomputedFromItsFilesIsTheReports() throws IOException {
        JsonObject frozen = JsonParser.parseString(Files.readString(dir.resolve(Study.TARGETS_FILE))).getAsJsonObject();
        JsonObject target = frozen.getAsJsonArray("targets").get(3).getAsJsonObject();
        assertEquals("mnist-mlp/validation_accuracy@25%", target.get("id").getAsString());
        double level = target.get("value").getAsDouble();
        List<Long> times = new ArrayList<>();
        int runs = 0;
        try (Stream<Path> s = Files.walk(dir.resolve("mnist-mlp/final"))) {
            for (Path f : s.filter(p -> p.getFileName().toString().equals("evals.csv")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                assertEquals("optimizer,seed,step,epoch,gradient_evaluations,train_loss,test_loss,test_accuracy,"
                        + "fisher_ratio,effective_step,gradient_norm,step_cosine", lines.get(0));
                if (!lines.get(1).startsWith("sgd-momentum,")) {
                    continue;
                }
                runs++;
                for (String l : lines.subList(1, lines.size())) {
                    String[] c = l.split(",");
                    if (Double.parseDouble(c[7]) >= level) {
                        times.add(Long.parseLong(c[4]));
                        break;
                    }
                }
            }
        }
        assertEquals(3, runs);
        times.sort(null);
        // Kaplan–Meier with every censoring at the budget: the ⌈n/2⌉-th smallest time, if that many reached it
        int half = (runs + 1) / 2;
        String median = times.size() >= half ? String.valueOf(times.get(half - 1)) : "∞";
        String row = "| mnist-mlp/validation_accuracy@25% | sgd-momentum | " + times.size() + "/" + runs + " | ";
        String line = report.lines().filter(l -> l.startsWith(row)).findFirst().orElseThrow(() -> new AssertionError(
                "no row starting '" + row + "' in the report"));
        assertEquals(median, line.split("\\|")[5].trim(), line);
    }

    @Test
    void aRegeneratedReportIsTheSameAndAnEditedTargetIsRefused() throws IOException {
        Out again = sofim("study", "report", dir.toString());
        assertEquals(0, again.status(), again.err());
        String regenerated = Files.readString(dir.resolve(StudyReport.FILE));
        assertEquals(StudyReport.deterministic(report), StudyReport.deterministic(regenerated));
        assertNotEquals(report.length(), StudyReport.deterministic(report).length(), "wall-clock sections are marked");

        Path f = dir.resolve(Study.TARGETS_FILE);
        String original = Files.readString(f);
        JsonObject o = JsonParser.parseString(original).getAsJsonObject();
        JsonObject first = o.getAsJsonArray("targets").get(0).getAsJsonObject();
        first.addProperty("value", first.get("value").getAsDouble() * 1.5);
        Files.writeString(f, o.toString());
        try {
            Out run = sofim("study", "run", dir.toString());
            assertNotEquals(0, run.status());
            assertTrue(run.err().contains("target mnist-mlp/validation_loss@25% in "), run.err());
            assertTrue(run.err().contains("targets are fixed before the final runs"), run.err());
        } finally {
            Files.writeString(f, original);
        }
        assertEquals(0, sofim("study", "run", dir.toString()).status(), "restored: finished runs are not run again");
    }

    /** The README summary: written between its markers, and every number in it printed in the report. */
    @Test
    void theReadmeSummaryQuotesOnlyTheReport(@TempDir Path other) throws IOException {
        Path readme = other.resolve("README.md");
        Files.writeString(readme, "# x\n\n" + StudyReport.SUMMARY_BEGIN + "\nold\n" + StudyReport.SUMMARY_END + "\n\ntail\n");
        Out o = sofim("study", "readme", dir.toString(), "--into", readme.toString());
        assertEquals(0, o.status(), o.err());
        String text = Files.readString(readme);
        assertTrue(text.startsWith("# x\n\n" + StudyReport.SUMMARY_BEGIN + "\n") && text.endsWith(StudyReport.SUMMARY_END + "\n\ntail\n"));
        String summary = text.substring(text.indexOf(StudyReport.SUMMARY_BEGIN), text.indexOf(StudyReport.SUMMARY_END));
        assertTrue(summary.contains("| sgd-momentum |") && summary.contains("plots/profile-evaluations.png"), summary);
        ReadmeResultsTest.assertNumbersIn(summary, report);
        Out none = sofim("study", "readme", dir.toString(), "--into", other.resolve("missing.md").toString());
        assertNotEquals(0, none.status());
    }
}
