package dev.sofim.study;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's results are the committed study's: once its report is committed, the README's study-summary section is
 * what {@code sofim study readme} generates from it and every number in it is printed in the report; until then the
 * README has no such section and says the study is running.
 */
class ReadmeResultsTest {
    static final Path README = Path.of("../README.md");
    static final Path COMMITTED = Path.of("benchmarks/studies/lenet");

    /** Every number of {@code section} (digits, with a decimal point or a sign) occurs in {@code report}. */
    static void assertNumbersIn(String section, String report) {
        String prose = section.replaceAll("\\]\\([^)]*\\)", "]");   // link targets are paths, not numbers
        Matcher m = Pattern.compile("(?<![\\w.])[0-9]+(?:\\.[0-9]+)?").matcher(prose);
        int n = 0;
        while (m.find()) {
            n++;
            assertTrue(report.contains(m.group()), "the summary's number " + m.group() + " is not in the report (at '"
                    + prose.substring(Math.max(0, m.start() - 40), Math.min(prose.length(), m.end() + 40)) + "')");
        }
        assertTrue(n > 0, "no numbers in the summary");
    }

    @Test
    void theReadmeResultsAreTheCommittedReports() throws IOException {
        String readme = Files.readString(README);
        Path report = COMMITTED.resolve(StudyReport.FILE);
        if (Files.exists(report)) {
            int a = readme.indexOf(StudyReport.SUMMARY_BEGIN);
            int b = readme.indexOf(StudyReport.SUMMARY_END);
            assertTrue(a >= 0 && b > a, "the study's report is committed: the README needs its study-summary section "
                    + "(sofim study readme " + COMMITTED + " --into README.md)");
            String section = readme.substring(a + StudyReport.SUMMARY_BEGIN.length() + 1, b);
            assertEquals(StudyReport.summary(Study.at(COMMITTED), README.toAbsolutePath().getParent()), section,
                    "the README's summary is not what the committed study gives; regenerate it");
            assertNumbersIn(section, Files.readString(report));
        } else {
            assertFalse(readme.contains(StudyReport.SUMMARY_BEGIN), "a study summary without a committed report");
            assertTrue(readme.contains("The full study is **running on this project's machine**"),
                    "without a committed report the README must say the study has not finished");
        }
    }

    /** The text of {@code text} from the line starting {@code heading} to the next level-2 heading (or the end). */
    static String section(String text, String heading) {
        int a = text.indexOf("\n" + heading + "\n");
        assertTrue(a >= 0, "no '" + heading + "' heading");
        int b = text.indexOf("\n## ", a + heading.length() + 1);
        return text.substring(a, b < 0 ? text.length() : b);
    }

    /**
     * Once the report is committed, the prose around the generated summary (the README's Results section) and notebook
     * 02's conclusion of the full study quote only numbers printed in the report.
     */
    @Test
    void theResultsProseAndNotebook02QuoteOnlyTheReport() throws IOException {
        Path report = COMMITTED.resolve(StudyReport.FILE);
        if (!Files.exists(report)) {
            return;   // theReadmeResultsAreTheCommittedReports checks that the README says the study is running
        }
        String text = Files.readString(report);
        assertNumbersIn(section(Files.readString(README), "## Results"), text);
        com.google.gson.JsonObject nb = com.google.gson.JsonParser.parseString(
                Files.readString(Path.of("../notebooks/02-paper-comparison.ipynb"))).getAsJsonObject();
        String conclusion = null;
        for (com.google.gson.JsonElement c : nb.getAsJsonArray("cells")) {
            StringBuilder src = new StringBuilder();
            c.getAsJsonObject().getAsJsonArray("source").forEach(l -> src.append(l.getAsString()));
            if (src.toString().startsWith("## Conclusion")) {
                conclusion = src.toString();
            }
        }
        assertTrue(conclusion != null, "notebook 02 has no '## Conclusion' cell");
        int full = conclusion.indexOf(FULL_STUDY);
        assertTrue(full >= 0, "notebook 02's conclusion has no '" + FULL_STUDY + "' part quoting the report");
        assertNumbersIn(conclusion.substring(full), text);
    }

    /** Where notebook 02's conclusion of the full study begins (before it: the QUICK run, checked against its output). */
    static final String FULL_STUDY = "**The full study**";
}
