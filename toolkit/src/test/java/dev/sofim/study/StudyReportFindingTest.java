package dev.sofim.study;

import dev.sofim.experiment.Metric;
import dev.sofim.stats.Interval;
import dev.sofim.stats.Wilcoxon;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a paired comparison says ({@link StudyReport.Finding}), over every finding, and the sentence on what the study's
 * seeds let Holm's correction declare: a difference not declared is not called "no difference".
 */
class StudyReportFindingTest {
    static final double INF = Double.POSITIVE_INFINITY;
    static final Study.Target TARGET = new Study.Target("mnist", Metric.TEST_LOSS, 0.25, 0.05);
    /** Ten seeds' times of a slow and a fast method: every difference positive (slow − fast) and untied. */
    static final double[] SLOW = {900, 950, 1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700};
    static final double[] FAST = {100, 110, 120, 130, 140, 150, 160, 170, 180, 190};

    /** The pair of subject times x against other times y (paired by index), with the given Holm p and interval. */
    static StudyReport.Pair pair(double[] x, double[] y, double holm, Interval interval) {
        int later = 0, sooner = 0;
        for (int i = 0; i < x.length; i++) {
            double d = StudyReport.difference(x[i], y[i]);
            later += d > 0 ? 1 : 0;
            sooner += d < 0 ? 1 : 0;
        }
        return new StudyReport.Pair(TARGET, "other", x.length, later, sooner, x.length - later - sooner, 0, interval,
                Wilcoxon.test(x, y), holm);
    }

    @Test
    void everyFinding() {
        record Case(StudyReport.Pair pair, StudyReport.Finding expected, String seeds) {
        }
        List<Case> cases = List.of(
                new Case(pair(SLOW, FAST, 0.01, new Interval(700, 1500)), StudyReport.Finding.LATER, "10/0/0"),
                new Case(pair(FAST, SLOW, 0.01, new Interval(-1500, -700)), StudyReport.Finding.SOONER, "0/10/0"),
                // unanimous, but Holm over many comparisons does not declare it: the interval still says which side
                new Case(pair(SLOW, FAST, 0.19, new Interval(700, 1500)), StudyReport.Finding.LATER_UNCORRECTED, "10/0/0"),
                new Case(pair(FAST, SLOW, 0.19, new Interval(-1500, -700)), StudyReport.Finding.SOONER_UNCORRECTED, "0/10/0"),
                new Case(pair(new double[] {INF, 5, 9}, new double[] {1, 7, 9}, 1, new Interval(-2, INF)),
                        StudyReport.Finding.CANNOT_TELL, "1/1/1"),
                new Case(pair(new double[] {INF, INF}, new double[] {INF, INF}, Double.NaN, new Interval(0, 0)),
                        StudyReport.Finding.TIED, "0/0/2"),
                new Case(pair(new double[0], new double[0], Double.NaN, new Interval(0, 0)), StudyReport.Finding.NO_PAIRS,
                        "0/0/0"));
        for (Case c : cases) {
            assertEquals(c.expected(), c.pair().finding(), c.toString());
            assertEquals(c.seeds(), c.pair().seeds());
        }
        assertEquals(StudyReport.Finding.values().length, cases.stream().map(c -> c.pair().finding()).distinct().count(),
                "every finding is covered");
    }

    @Test
    void theReportSaysWhenItsSeedsCannotDeclareAnything() {
        List<StudyReport.Pair> many = new ArrayList<>(Collections.nCopies(108, pair(SLOW, FAST, 0.21, new Interval(700, 1500))));
        many.add(pair(new double[] {INF}, new double[] {INF}, Double.NaN, new Interval(0, 0)));   // tied: not a test
        String text = StudyReport.power(new StudyReport.Tables(List.of(), many));
        // 0.05/108 = 0.000463; the unanimous 10 pairs give the exact 2/2¹⁰ = 0.00195
        assertTrue(text.contains("α/108 = 0.000463") && text.contains("the smallest p here is 0.00195")
                && text.contains("no difference can be declared"), text);
        String few = StudyReport.power(new StudyReport.Tables(List.of(), List.of(pair(SLOW, FAST, 0.004, new Interval(700, 1500)),
                pair(FAST, SLOW, 0.004, new Interval(-1500, -700)))));
        assertTrue(few.startsWith("Holm's first threshold is α/2 = 0.0250;") && !few.contains("declared"), few);
        assertEquals("", StudyReport.power(new StudyReport.Tables(List.of(), List.of())));
    }
}
