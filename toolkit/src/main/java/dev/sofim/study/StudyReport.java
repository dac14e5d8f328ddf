package dev.sofim.study;

import dev.sofim.data.AtomicFiles;
import dev.sofim.experiment.EvalPoint;
import dev.sofim.experiment.Metric;
import dev.sofim.experiment.Results;
import dev.sofim.plot.Plots;
import dev.sofim.stats.Bootstrap;
import dev.sofim.stats.Holm;
import dev.sofim.stats.Interval;
import dev.sofim.stats.KaplanMeier;
import dev.sofim.stats.PerformanceProfile;
import dev.sofim.stats.Wilcoxon;
import dev.sofim.stats.Wilson;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A study's report, {@code report.md} with its tables and {@code plots/} (PNG and SVG), every number computed from the
 * study folder's files: per workload × target × method the success rate with a Wilson interval and the censored time to
 * target (Kaplan–Meier median with a bootstrap interval, restricted mean), the subject against every other method paired
 * by seed (Wilcoxon signed-rank, censored runs ranked last, Holm-corrected over the whole study, the median paired
 * difference with a bootstrap interval), performance profiles over workloads × targets, curves against gradient
 * evaluations with a min–max band over seeds, and the subject's regime diagnostics. Times in gradient evaluations are
 * deterministic; everything in seconds sits between {@value #WALL_CLOCK} and {@value #WALL_CLOCK_END} markers (it varies
 * from run to run), so the rest regenerates byte for byte.
 */
public final class StudyReport {
    public static final String FILE = "report.md";
    public static final String WALL_CLOCK = "<!-- wall-clock -->";
    public static final String WALL_CLOCK_END = "<!-- /wall-clock -->";
    /** Bootstrap resamples and seed of every interval. */
    static final int RESAMPLES = Bootstrap.RESAMPLES;
    static final long BOOTSTRAP_SEED = 20240305;
    /** The significance level of the paired comparisons' declared findings (after Holm). */
    public static final double ALPHA = 0.05;
    /** The report's charts: taller than {@link Plots#HEIGHT}, for a legend of every method below the plot. */
    static final int CHART_HEIGHT = Plots.HEIGHT + 160;
    /** The τ at which the performance profiles' table reads ρ(τ). */
    static final double[] TAUS = {1, 1.25, 1.5, 2, 4};

    private StudyReport() {
    }

    /** A run's time to a target: reached at (evaluations, seconds), or censored (not reached by the end of the budget). */
    public record Time(long seed, boolean reached, double evaluations, double seconds, double steps) {
    }

    /** The times to a target of a method's finished final runs, in seed order; runs still going are left out. */
    public static List<Time> times(Study study, StudySpec.Workload w, String method, Study.Target t) throws IOException {
        List<Time> out = new ArrayList<>();
        for (Study.FinalRun r : study.finalRuns(w)) {
            if (!r.method().equals(method) || r.results().isEmpty()) {
                continue;
            }
            Results res = r.results().get();
            Optional<EvalPoint> hit = res.firstPointReaching(method, r.seed(), t.metric(), t.value());
            out.add(hit.map(p -> new Time(r.seed(), true, p.gradientEvaluations(), p.seconds(), p.step()))
                    .orElse(new Time(r.seed(), false, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
                            Double.POSITIVE_INFINITY)));
        }
        return out;
    }

    /** Kaplan–Meier of one measure of the times, censored at {@code horizon}. */
    static KaplanMeier km(List<Time> ts, java.util.function.ToDoubleFunction<Time> measure, double horizon) {
        double[] x = new double[ts.size()];
        boolean[] r = new boolean[ts.size()];
        for (int i = 0; i < x.length; i++) {
            r[i] = ts.get(i).reached();
            x[i] = r[i] ? measure.applyAsDouble(ts.get(i)) : horizon;
        }
        return new KaplanMeier(x, r);
    }

    /** The row of one target and method. */
    public record Row(Study.Target target, String method, int runs, int reached, Interval success, double median,
                      Interval medianInterval, double restrictedMean, double medianSteps, double medianSeconds,
                      Interval secondsInterval) {
    }

    /**
     * What a paired comparison says, strongest first: declared after Holm at {@link #ALPHA}; else, descriptively, the 95%
     * bootstrap interval of the median paired difference on one side of 0 (uncorrected for the study's many comparisons,
     * so not a confirmed difference); else nothing.
     */
    public enum Finding {
        SOONER("sooner", "sooner (Holm)"),
        LATER("later", "later (Holm)"),
        SOONER_UNCORRECTED("sooner*", "sooner, uncorrected"),
        LATER_UNCORRECTED("later*", "later, uncorrected"),
        CANNOT_TELL("cannot tell", "cannot tell"),
        /** Every paired seed tied (both runs censored, or the same evaluation point): no information. */
        TIED("tied", "tied on every seed"),
        NO_PAIRS("no pairs", "no pairs");

        /** The label in the README summary's table (* footnoted there) and in the report's table. */
        public final String shortLabel;
        public final String label;

        Finding(String shortLabel, String label) {
            this.shortLabel = shortLabel;
            this.label = label;
        }
    }

    /**
     * A paired comparison of the subject with another method on one target: per seed the subject's gradient evaluations
     * minus the other's ({@code later}, {@code sooner}, {@code tied}: seeds with a positive, negative, zero difference).
     */
    public record Pair(Study.Target target, String other, int pairs, int later, int sooner, int tied,
                       double medianDifference, Interval differenceInterval, Wilcoxon test, double holm) {
        public Finding finding() {
            if (pairs == 0) {
                return Finding.NO_PAIRS;
            }
            if (test.n() == 0) {
                return Finding.TIED;
            }
            if (holm < ALPHA) {
                return test.wPlus() < test.wMinus() ? Finding.SOONER : Finding.LATER;
            }
            if (differenceInterval.upper() < 0) {
                return Finding.SOONER_UNCORRECTED;
            }
            if (differenceInterval.lower() > 0) {
                return Finding.LATER_UNCORRECTED;
            }
            return Finding.CANNOT_TELL;
        }

        /** Seeds on which the subject was later / sooner / tied, as the tables print them. */
        public String seeds() {
            return later + "/" + sooner + "/" + tied;
        }
    }

    /** Every row and pair of the study (the report's tables), from the files. */
    public record Tables(List<Row> rows, List<Pair> pairs) {
    }

    public static Tables tables(Study study) throws IOException {
        StudySpec spec = study.spec();
        List<Study.Target> targets = study.checkTargets();
        List<Row> rows = new ArrayList<>();
        List<Pair> pairs = new ArrayList<>();
        List<Wilcoxon> tests = new ArrayList<>();
        for (StudySpec.Workload w : spec.workloads()) {
            double horizonSeconds = horizonSeconds(study, w);
            for (Study.Target t : targets) {
                if (!t.workload().equals(w.name())) {
                    continue;
                }
                Map<String, List<Time>> byMethod = new LinkedHashMap<>();
                for (StudySpec.Method m : spec.methods()) {
                    List<Time> ts = times(study, w, m.name(), t);
                    byMethod.put(m.name(), ts);
                    if (ts.isEmpty()) {
                        continue;
                    }
                    KaplanMeier ke = km(ts, Time::evaluations, w.budget());
                    KaplanMeier ks = km(ts, Time::seconds, horizonSeconds);
                    // steps: censored beyond any step a run of the budget can take (one evaluation a step at most)
                    KaplanMeier kt = km(ts, Time::steps, w.budget());
                    int k = ke.events();
                    rows.add(new Row(t, m.name(), ts.size(), k, Wilson.interval(k, ts.size()), ke.median(),
                            ke.medianInterval(RESAMPLES, BOOTSTRAP_SEED), ke.restrictedMean(w.budget()), kt.median(),
                            ks.median(), ks.medianInterval(RESAMPLES, BOOTSTRAP_SEED)));
                }
                List<Time> subject = byMethod.get(spec.subject());
                for (StudySpec.Method m : spec.methods()) {
                    if (m.name().equals(spec.subject()) || subject.isEmpty() || byMethod.get(m.name()).isEmpty()) {
                        continue;
                    }
                    List<double[]> paired = new ArrayList<>();
                    for (Time a : subject) {
                        for (Time b : byMethod.get(m.name())) {
                            if (a.seed() == b.seed()) {
                                paired.add(new double[] {a.evaluations(), b.evaluations()});
                            }
                        }
                    }
                    double[] x = paired.stream().mapToDouble(p -> p[0]).toArray();
                    double[] y = paired.stream().mapToDouble(p -> p[1]).toArray();
                    Wilcoxon test = Wilcoxon.test(x, y);
                    double[] d = new double[x.length];
                    for (int i = 0; i < d.length; i++) {
                        d[i] = difference(x[i], y[i]);
                    }
                    double med = d.length == 0 ? Double.NaN : Bootstrap.median(d);
                    Interval ci = d.length == 0 ? new Interval(0, 0) : Bootstrap.percentile(RESAMPLES, BOOTSTRAP_SEED, d.length, idx -> {
                        double[] s = new double[idx.length];
                        for (int i = 0; i < idx.length; i++) {
                            s[i] = d[idx[i]];
                        }
                        return Bootstrap.median(s);
                    });
                    int later = (int) Arrays.stream(d).filter(v -> v > 0).count();
                    int sooner = (int) Arrays.stream(d).filter(v -> v < 0).count();
                    pairs.add(new Pair(t, m.name(), x.length, later, sooner, d.length - later - sooner, med, ci, test,
                            Double.NaN));
                    tests.add(test);
                }
            }
        }
        double[] p = tests.stream().mapToDouble(x -> x.n() == 0 ? Double.NaN : x.pValue()).toArray();
        double[] holm = Holm.adjust(p);
        List<Pair> adjusted = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            Pair x = pairs.get(i);
            adjusted.add(new Pair(x.target(), x.other(), x.pairs(), x.later(), x.sooner(), x.tied(), x.medianDifference(),
                    x.differenceInterval(), x.test(), holm[i]));
        }
        return new Tables(rows, adjusted);
    }

    /** The comparisons Holm's correction counts: those with at least one untied seed (the others have no test). */
    static long tests(Tables tables) {
        return tables.pairs().stream().filter(p -> p.test().n() > 0).count();
    }

    /**
     * What the study's seeds let Holm's correction declare: its first rejection needs some p ≤ α/m (m comparisons); a
     * two-sided signed-rank test of n untied pairs cannot go under 2/2ⁿ. When no p of the study reaches α/m, the
     * sentence says so, and why, so that "not declared" is not read as "no difference".
     */
    static String power(Tables tables) {
        long m = tests(tables);
        if (m == 0) {
            return "";
        }
        double first = ALPHA / m;
        double smallest = tables.pairs().stream().filter(p -> p.test().n() > 0).mapToDouble(p -> p.test().pValue()).min()
                .orElse(1);
        int most = tables.pairs().stream().mapToInt(Pair::pairs).max().orElse(0);
        int fewest = tables.pairs().stream().filter(p -> p.pairs() > 0).mapToInt(Pair::pairs).min().orElse(0);
        String floor = most + " paired seeds all on one side give an exact two-sided p of "
                + fmt("%.3g", Wilcoxon.smallestP(most)) + (fewest < most ? " (" + fewest + " pairs: "
                + fmt("%.3g", Wilcoxon.smallestP(fewest)) + ")" : "");
        if (smallest > first) {
            return "Holm declares nothing unless some p ≤ α/" + m + " = " + fmt("%.3g", first) + "; the smallest p here is "
                    + fmt("%.3g", smallest) + " and " + floor + ", so at this many seeds and comparisons no difference "
                    + "can be declared: read the seeds, the median difference and its interval, which are descriptive "
                    + "(uncorrected).";
        }
        return "Holm's first threshold is α/" + m + " = " + fmt("%.3g", first) + "; " + floor + ".";
    }

    /** Subject minus other per seed, censored = +∞, both censored = 0 (as the test ranks them). */
    static double difference(double a, double b) {
        if (Double.isInfinite(a) && Double.isInfinite(b)) {
            return 0;
        }
        return a - b;
    }

    /** The longest training time of any finished final run of a workload: where seconds are censored. */
    static double horizonSeconds(Study study, StudySpec.Workload w) throws IOException {
        double max = 0;
        for (Study.FinalRun r : study.finalRuns(w)) {
            if (r.results().isPresent()) {
                List<EvalPoint> pts = r.results().get().points(r.method(), r.seed());
                if (!pts.isEmpty()) {
                    max = Math.max(max, pts.get(pts.size() - 1).seconds());
                }
            }
        }
        return Math.max(max, 1e-9);
    }

    /** The performance profile over workloads × targets of a cost per row (the KM median, +∞ when not reached). */
    static PerformanceProfile profile(StudySpec spec, List<Row> rows, boolean seconds) {
        Map<String, Map<String, Double>> costs = new LinkedHashMap<>();
        for (Row r : rows) {
            costs.computeIfAbsent(r.target().id(), k -> new LinkedHashMap<>()).put(r.method(), seconds ? r.medianSeconds() : r.median());
        }
        List<String> methods = spec.methods().stream().map(StudySpec.Method::name).toList();
        costs.values().removeIf(m -> !m.keySet().containsAll(methods));
        return PerformanceProfile.of(methods, costs);
    }

    /** Writes {@code report.md} and {@code plots/} into the study folder; returns the report's path. */
    public static Path write(Study study) throws IOException {
        Path plots = study.dir().resolve("plots");
        AtomicFiles.ownFolder(plots);
        String md = markdown(study, plots);
        Path f = study.dir().resolve(FILE);
        AtomicFiles.writeString(f, md);
        return f;
    }

    /** The report's text with its wall-clock sections removed (what is the same on every runner and re-run). */
    public static String deterministic(String report) {
        StringBuilder sb = new StringBuilder();
        boolean skip = false;
        for (String line : report.split("\n", -1)) {
            if (line.equals(WALL_CLOCK)) {
                skip = true;
            } else if (line.equals(WALL_CLOCK_END)) {
                skip = false;
            } else if (!skip) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    static String markdown(Study study, Path plots) throws IOException {
        StudySpec spec = study.spec();
        Tables tables = tables(study);
        StringBuilder md = new StringBuilder();
        md.append("# Study `").append(spec.name()).append("`\n\n");
        if (!spec.about().isBlank()) {
            md.append(spec.about()).append("\n\n");
        }
        md.append("Generated by `sofim study report` from the files of this folder; every number below is computed from "
                + "them. Times in gradient evaluations are deterministic; sections marked wall-clock vary between runs.\n\n");
        md.append("**Scope.** The SOFIM paper's own datasets splits, models, budgets and targets are not public (only its "
                + "abstract is): this study is an independent test of the abstract's claim that SOFIM reaches targets "
                + "sooner than SGD with momentum and Newton-type methods, under the protocol below.\n\n");
        protocol(md, study);
        tuning(md, study);
        md.append("## Targets (frozen before the final runs)\n\n");
        md.append("The best level the tuned `").append(spec.targets().reference()).append("` reached by each fraction of "
                + "the budget on the validation split (`targets.json`, sha256 `").append(Study.sha(study.checkTargets()))
                .append("`); the final runs are scored on the test set against the same levels.\n\n");
        md.append("| target | value |\n|---|---:|\n");
        for (Study.Target t : study.checkTargets()) {
            md.append("| ").append(t.id()).append(" | ").append(fmt("%.5g", t.value())).append(" |\n");
        }
        md.append('\n');
        for (StudySpec.Workload w : spec.workloads()) {
            workload(md, study, w, tables, plots);
        }
        profiles(md, spec, tables, plots);
        conclusion(md, spec, tables, "## Conclusion (generated from the tables above)");
        return md.toString();
    }

    private static void protocol(StringBuilder md, Study study) {
        StudySpec spec = study.spec();
        md.append("## Protocol\n\n");
        md.append("| workload | dataset | model | batch | training images | validation images | budget (gradient evaluations) | why |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---|\n");
        for (StudySpec.Workload w : spec.workloads()) {
            md.append("| ").append(w.name()).append(" | ").append(w.dataset().title()).append(" | ")
                    .append(w.model().name().toLowerCase(Locale.ROOT)).append(" | ").append(w.batchSize()).append(" | ")
                    .append(Study.trainImages(w)).append(" | ").append(w.validationSize()).append(" | ").append(w.budget())
                    .append(" | ").append(w.budgetReason()).append(" |\n");
        }
        md.append("\nTuning: ").append(spec.tuning().trials()).append(" scrambled-Halton trials per method (sequence seed ")
                .append(spec.tuning().sequenceSeed()).append("), training seed ").append(spec.tuning().seed())
                .append(", the full budget, held-out metrics on the validation split; objective: gradient evaluations to "
                        + "the workload's tuning target (censored at the budget; ties: final validation loss)")
                .append(spec.tuning().edgeRule() ? "; edge rule on (`shifts.json`)" : "").append(".\n");
        md.append("Final runs: seeds ").append(spec.seeds()).append(" (a seed fixes the initial weights and the minibatch "
                + "order, the same for every method), held-out metrics on the test set.\n\n");
        md.append("| method | type | search space | fixed (reason) | schedule | final seeds |\n|---|---|---|---|---|---:|\n");
        for (StudySpec.Method m : spec.methods()) {
            List<String> fixed = new ArrayList<>();
            m.fixed().forEach((k, f) -> fixed.add(k + " = " + f.value() + " (" + f.reason() + ")"));
            md.append("| ").append(m.name()).append(" | ").append(m.type()).append(" | ").append(m.space().toString()
                    .replace("|", "/")).append(" | ").append(String.join("; ", fixed).replace("|", "/")).append(" | ")
                    .append(m.schedule().type()).append(" | ").append(spec.seeds(m).size()).append(" |\n");
        }
        md.append('\n');
    }

    private static void tuning(StringBuilder md, Study study) throws IOException {
        StudySpec spec = study.spec();
        md.append("## Tuning\n\n");
        for (StudySpec.Workload w : spec.workloads()) {
            StudySpec.Goal g = w.tuningTarget();
            md.append("**").append(w.name()).append("** (tuning target ").append(StudySpec.metricId(g.metric())).append(' ')
                    .append(g.metric() == Metric.TEST_ACCURACY ? "≥ " : "≤ ").append(fmt("%.4g", g.value())).append(": ")
                    .append(g.reason()).append(")\n\n");
            md.append("| method | round | chosen setting | evaluations to tuning target | final validation loss | trials reaching it |\n");
            md.append("|---|---:|---|---:|---:|---:|\n");
            List<Study.Trial> all = study.allTrials();
            for (StudySpec.Method m : spec.methods()) {
                Study.Trial t = study.tuned(w, m);
                long reached = all.stream().filter(x -> x.workload().equals(w.name()) && x.method().equals(m.name())
                        && x.round() == t.round() && Double.isFinite(x.evaluationsToTarget())).count();
                md.append("| ").append(m.name()).append(" | ").append(t.round()).append(" | ")
                        .append(Study.settingsText(t.settings()).replace(";", ", ")).append(" | ")
                        .append(Double.isInfinite(t.evaluationsToTarget()) ? "not reached" : String.valueOf((long) t.evaluationsToTarget()))
                        .append(" | ").append(fmt("%.4f", t.finalValidationLoss())).append(" | ").append(reached).append('/')
                        .append(spec.tuning().trials()).append(" |\n");
            }
            List<Study.Shift> shifts = study.shifts(w);
            md.append('\n');
            if (!shifts.isEmpty()) {
                md.append("Edge rule: ");
                List<String> parts = new ArrayList<>();
                for (Study.Shift s : shifts) {
                    parts.add(s.method() + "'s " + s.knob() + " " + s.from() + " → " + s.to() + " (round-1 winner " + s.winner() + ")");
                }
                md.append(String.join("; ", parts)).append(".\n\n");
            }
        }
        md.append("Every trial: `tuning.csv`.\n\n");
    }

    private static void workload(StringBuilder md, Study study, StudySpec.Workload w, Tables tables, Path plots) throws IOException {
        StudySpec spec = study.spec();
        md.append("## ").append(w.name()).append(": time to target\n\n");
        md.append("Success: runs that reached the target within the budget, with a 95% Wilson interval. Time: gradient "
                + "evaluations to the first evaluation point at the target; Kaplan–Meier median (runs not reaching it "
                + "censored at the budget; ∞: fewer than half reached) with a 95% bootstrap interval, the restricted "
                + "mean up to the budget, and the median in optimizer steps.\n\n");
        md.append("| target | method | success | 95% interval | median evaluations | 95% interval | restricted mean | median steps |\n");
        md.append("|---|---|---:|---|---:|---|---:|---:|\n");
        for (Row r : tables.rows()) {
            if (!r.target().workload().equals(w.name())) {
                continue;
            }
            md.append("| ").append(r.target().id()).append(" | ").append(r.method()).append(" | ").append(r.reached())
                    .append('/').append(r.runs()).append(" | ").append(r.success().format("%.2f")).append(" | ")
                    .append(end(r.median())).append(" | ")
                    .append(r.medianInterval().format("%.0f")).append(" | ").append(fmt("%.0f", r.restrictedMean())).append(" | ")
                    .append(end(r.medianSteps())).append(" |\n");
        }
        md.append("\n### ").append(w.name()).append(": ").append(spec.subject()).append(" against each method, paired by seed\n\n");
        md.append("Per seed, ").append(spec.subject()).append("'s gradient evaluations to the target minus the other's "
                + "(censored = ∞; both censored = 0); seeds: on how many paired seeds ").append(spec.subject())
                .append(" was later / sooner / tied. Wilcoxon signed-rank, two-sided, censored runs ranked last; p "
                + "Holm-corrected over the ").append(tests(tables)).append(" comparisons of the study with an untied seed; finding: "
                + "sooner or later (Holm) when the Holm p is under α = ").append(ALPHA).append(", else sooner or later, "
                + "uncorrected, when the 95% interval of the median difference lies on one side of 0, else cannot tell. ")
                .append(power(tables)).append("\n\n");
        md.append("| target | against | pairs | seeds later/sooner/tied | median difference | 95% interval | W⁺ | W⁻ | p | Holm p | finding |\n");
        md.append("|---|---|---:|---:|---:|---|---:|---:|---:|---:|---|\n");
        for (Pair p : tables.pairs()) {
            if (!p.target().workload().equals(w.name())) {
                continue;
            }
            md.append("| ").append(p.target().id()).append(" | ").append(p.other()).append(" | ").append(p.pairs())
                    .append(" | ").append(p.seeds())
                    .append(" | ").append(end(p.medianDifference())).append(" | ").append(p.differenceInterval().format("%.0f"))
                    .append(" | ").append(fmt("%.1f", p.test().wPlus())).append(" | ").append(fmt("%.1f", p.test().wMinus()))
                    .append(" | ").append(fmt("%.3g", p.test().pValue())).append(" | ").append(fmt("%.3g", p.holm()))
                    .append(" | ").append(p.finding().label).append(" |\n");
        }
        md.append('\n');
        md.append(WALL_CLOCK).append('\n');
        md.append("### ").append(w.name()).append(": time to target in training seconds (wall clock)\n\n");
        md.append("| target | method | median seconds | 95% interval |\n|---|---|---:|---|\n");
        for (Row r : tables.rows()) {
            if (r.target().workload().equals(w.name())) {
                md.append("| ").append(r.target().id()).append(" | ").append(r.method()).append(" | ")
                        .append(r.medianSeconds() == Double.POSITIVE_INFINITY ? "∞" : fmt("%.1f", r.medianSeconds()))
                        .append(" | ").append(r.secondsInterval().format("%.1f")).append(" |\n");
            }
        }
        md.append('\n').append(WALL_CLOCK_END).append('\n');
        finals(md, study, w);
        curves(md, study, w, plots);
        diagnostics(md, study, w, plots);
    }

    private static void finals(StringBuilder md, Study study, StudySpec.Workload w) throws IOException {
        md.append("### ").append(w.name()).append(": at the end of the budget (median over seeds [min–max])\n\n");
        md.append("| method | runs | diverged | test accuracy | test loss | training loss (fixed subset) |\n|---|---:|---:|---|---|---|\n");
        for (StudySpec.Method m : study.spec().methods()) {
            List<Double> acc = new ArrayList<>(), loss = new ArrayList<>(), train = new ArrayList<>();
            int runs = 0, diverged = 0;
            for (Study.FinalRun r : study.finalRuns(w)) {
                if (!r.method().equals(m.name()) || r.results().isEmpty()) {
                    continue;
                }
                runs++;
                if (r.results().get().diverged(m.name(), r.seed())) {
                    diverged++;
                    continue;
                }
                List<EvalPoint> pts = r.results().get().points(m.name(), r.seed());
                EvalPoint last = pts.get(pts.size() - 1);
                acc.add(last.testAccuracy());
                loss.add(last.testLoss());
                train.add(last.trainLoss());
            }
            md.append("| ").append(m.name()).append(" | ").append(runs).append(" | ").append(diverged).append(" | ")
                    .append(spread(acc, "%.4f")).append(" | ").append(spread(loss, "%.4f")).append(" | ")
                    .append(spread(train, "%.4f")).append(" |\n");
        }
        md.append('\n');
    }

    private static String spread(List<Double> v, String f) {
        if (v.isEmpty()) {
            return "–";
        }
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return fmt(f, Bootstrap.median(a)) + " [" + fmt(f, a[0]) + "–" + fmt(f, a[a.length - 1]) + "]";
    }

    /**
     * Median over seeds at each evaluation point, with a min–max band, against gradient evaluations; then (wall clock)
     * against training seconds, the median over seeds of the seconds at each point.
     */
    private static void curves(StringBuilder md, Study study, StudySpec.Workload w, Path plots) throws IOException {
        md.append("### ").append(w.name()).append(": curves (median over seeds, min–max band)\n\n");
        curves(md, study, w, plots, false);
        md.append('\n').append(WALL_CLOCK).append('\n');
        md.append("Against training seconds (wall clock; the median over seeds of the seconds at each point):\n\n");
        curves(md, study, w, plots, true);
        md.append('\n').append(WALL_CLOCK_END).append('\n');
    }

    private static void curves(StringBuilder md, Study study, StudySpec.Workload w, Path plots, boolean seconds)
            throws IOException {
        for (Metric metric : Metric.values()) {
            // accuracy is drawn as its error 1 − accuracy on a log axis, like the losses: on a linear axis from 0.1 to 1
            // every method's curve is a flat line at 0.98–0.99, where the targets are
            boolean error = metric == Metric.TEST_ACCURACY;
            String label = metric == Metric.TRAIN_LOSS ? "training loss (fixed subset)"
                    : error ? "test error (1 − accuracy)" : metric.label();
            XYChart chart = chart(w.name() + ": " + label, seconds ? "training seconds" : "gradient evaluations", label);
            chart.getStyler().setYAxisLogarithmic(true);
            double top = 0, bottom = Double.POSITIVE_INFINITY;
            int i = 0;
            for (StudySpec.Method m : study.spec().methods()) {
                Color c = Plots.color(i++);
                List<List<EvalPoint>> runs = new ArrayList<>();
                for (Study.FinalRun r : study.finalRuns(w)) {
                    if (r.method().equals(m.name()) && r.results().isPresent() && !r.results().get().diverged(m.name(), r.seed())) {
                        runs.add(r.results().get().points(m.name(), r.seed()));
                    }
                }
                if (runs.isEmpty()) {
                    continue;
                }
                int n = runs.stream().mapToInt(List::size).min().orElse(0);
                double[] x = new double[n], med = new double[n], lo = new double[n], hi = new double[n];
                for (int k = 0; k < n; k++) {
                    double[] v = new double[runs.size()];
                    double[] t = new double[runs.size()];
                    for (int s = 0; s < v.length; s++) {
                        double value = runs.get(s).get(k).metric(metric);
                        v[s] = Math.max(error ? 1 - value : value, 1e-6);
                        t[s] = runs.get(s).get(k).seconds();
                    }
                    x[k] = seconds ? Bootstrap.median(t) : runs.get(0).get(k).gradientEvaluations();
                    med[k] = Bootstrap.median(v);
                    lo[k] = java.util.Arrays.stream(v).min().orElse(0);
                    hi[k] = java.util.Arrays.stream(v).max().orElse(0);
                }
                top = Math.max(top, Arrays.stream(hi).max().orElse(top));
                bottom = Math.min(bottom, Arrays.stream(lo).min().orElse(bottom));
                band(chart, m.name(), c, x, lo, hi);
                XYSeries line = chart.addSeries(m.name() + " (median of " + runs.size() + ")", x, med);
                line.setLineColor(c);
                line.setMarker(SeriesMarkers.NONE);
            }
            // under two decades, decade labels alone leave one number on the axis
            chart.getStyler().setYAxisLogarithmicDecadeOnly(top / bottom >= Plots.LABELLED_DECADES_SPAN);
            String file = w.name() + "-" + metric.name().toLowerCase(Locale.ROOT).replace('_', '-')
                    + (seconds ? "-vs-seconds" : "-vs-evaluations");
            if (!chart.getSeriesMap().isEmpty()) {
                Plots.save(chart, plots.resolve(file));
                md.append("![").append(w.name()).append(' ').append(label).append("](plots/").append(file).append(".png)\n");
            }
        }
        md.append('\n');
    }

    /** The subject's (and the control's) regime per evaluation point: ‖m̂‖²/ρ, η/(ρ + ‖m̂‖²), cos(step, g). */
    private static void diagnostics(StringBuilder md, Study study, StudySpec.Workload w, Path plots) throws IOException {
        List<StudySpec.Method> sofims = study.spec().methods().stream().filter(m -> m.type().equals("sofim")).toList();
        if (sofims.isEmpty()) {
            return;
        }
        md.append("### ").append(w.name()).append(": what regime SOFIM runs in\n\n");
        md.append("Per evaluation point of every final run (the step just before it): ‖m̂‖²/ρ (≪ 1: d ≈ m̂/ρ, the Fisher "
                + "term does nothing, the rule is momentum SGD at η/ρ; ≫ 1: a normalized step), the effective step "
                + "η/(ρ + ‖m̂‖²), ‖g‖ and cos(step, g). Median over seeds [min–max] at 10%, 50% and 100% of the budget.\n\n");
        md.append("| method | at | ‖m̂‖²/ρ | effective step | ‖g‖ | cos(step, g) |\n|---|---:|---|---|---|---|\n");
        String[] names = {"fisher-ratio", "effective-step", "step-cosine"};
        String[] titles = {"‖m̂‖²/ρ", "effective step η/(ρ + ‖m̂‖²)", "cos(step, g)"};
        XYChart[] charts = new XYChart[3];
        for (int c = 0; c < 3; c++) {
            charts[c] = chart(w.name() + ": " + titles[c], "gradient evaluations", titles[c]);
            if (c < 2) {
                charts[c].getStyler().setYAxisLogarithmic(true);
            }
        }
        for (StudySpec.Method m : sofims) {
            Color color = Plots.color(study.spec().methods().indexOf(m));
            List<List<EvalPoint>> runs = new ArrayList<>();
            for (Study.FinalRun r : study.finalRuns(w)) {
                if (r.method().equals(m.name()) && r.results().isPresent() && !r.results().get().diverged(m.name(), r.seed())) {
                    runs.add(r.results().get().points(m.name(), r.seed()).subList(1, r.results().get().points(m.name(), r.seed()).size()));
                }
            }
            if (runs.isEmpty()) {
                continue;
            }
            int n = runs.stream().mapToInt(List::size).min().orElse(0);
            for (double frac : new double[] {0.1, 0.5, 1.0}) {
                int k = Math.max(0, Math.min(n - 1, (int) Math.ceil(frac * n) - 1));
                md.append("| ").append(m.name()).append(" | ").append(Math.round(frac * 100)).append("% | ");
                for (int q = 0; q < 4; q++) {
                    List<Double> v = new ArrayList<>();
                    for (List<EvalPoint> run : runs) {
                        var d = run.get(k).diagnostics();
                        v.add(q == 0 ? d.fisherRatio() : q == 1 ? d.effectiveStep() : q == 2 ? d.gradientNorm() : d.stepCosine());
                    }
                    md.append(v.stream().allMatch(x -> Double.isNaN(x)) ? "–" : spread(v, "%.3g")).append(" | ");
                }
                md.append('\n');
            }
            for (int c = 0; c < 3; c++) {
                double[] x = new double[n], med = new double[n], lo = new double[n], hi = new double[n];
                for (int k = 0; k < n; k++) {
                    double[] v = new double[runs.size()];
                    for (int s = 0; s < v.length; s++) {
                        var d = runs.get(s).get(k).diagnostics();
                        double y = c == 0 ? d.fisherRatio() : c == 1 ? d.effectiveStep() : d.stepCosine();
                        v[s] = c < 2 ? Math.max(y, 1e-12) : y;
                    }
                    x[k] = runs.get(0).get(k).gradientEvaluations();
                    med[k] = Bootstrap.median(v);
                    lo[k] = java.util.Arrays.stream(v).min().orElse(0);
                    hi[k] = java.util.Arrays.stream(v).max().orElse(0);
                }
                if (java.util.Arrays.stream(med).anyMatch(Double::isNaN)) {
                    continue;
                }
                band(charts[c], m.name(), color, x, lo, hi);
                XYSeries line = charts[c].addSeries(m.name() + " (median of " + runs.size() + ")", x, med);
                line.setLineColor(color);
                line.setMarker(SeriesMarkers.NONE);
            }
        }
        md.append('\n');
        for (int c = 0; c < 3; c++) {
            if (!charts[c].getSeriesMap().isEmpty()) {
                String file = w.name() + "-diagnostics-" + names[c];
                Plots.save(charts[c], plots.resolve(file));
                md.append("![").append(w.name()).append(' ').append(titles[c]).append("](plots/").append(file).append(".png)\n");
            }
        }
        md.append('\n');
    }

    private static void profiles(StringBuilder md, StudySpec spec, Tables tables, Path plots) throws IOException {
        md.append("## Performance profiles over workloads × targets\n\n");
        md.append("Dolan–Moré: the cost of a method on a target is its Kaplan–Meier median (∞ when not reached by half its "
                + "runs); ρ(τ) is the share of the targets a method reaches within τ times the best method's cost.\n\n");
        PerformanceProfile p = profile(spec, tables.rows(), false);
        profileTable(md, p);
        Plots.save(profileChart(p, "performance profile (gradient evaluations)"), plots.resolve("profile-evaluations"));
        md.append("![performance profile in gradient evaluations](plots/profile-evaluations.png)\n\n");
        md.append(WALL_CLOCK).append('\n');
        md.append("In training seconds (wall clock):\n\n");
        PerformanceProfile ps = profile(spec, tables.rows(), true);
        profileTable(md, ps);
        Plots.save(profileChart(ps, "performance profile (training seconds)"), plots.resolve("profile-seconds"));
        md.append("![performance profile in training seconds](plots/profile-seconds.png)\n\n");
        md.append(WALL_CLOCK_END).append('\n');
    }

    private static void profileTable(StringBuilder md, PerformanceProfile p) {
        md.append("| method |");
        for (double tau : TAUS) {
            md.append(" ρ(").append(fmt("%.3g", tau)).append(") |");
        }
        md.append(" ρ(∞) |\n|---|");
        for (int i = 0; i <= TAUS.length; i++) {
            md.append("---:|");
        }
        md.append('\n');
        for (int s = 0; s < p.methods().size(); s++) {
            md.append("| ").append(p.methods().get(s)).append(" |");
            for (double tau : TAUS) {
                md.append(' ').append(fmt("%.2f", p.rho(s, tau))).append(" |");
            }
            md.append(' ').append(fmt("%.2f", p.rho(s, Double.MAX_VALUE))).append(" |\n");
        }
        md.append('\n');
    }

    private static XYChart profileChart(PerformanceProfile p, String title) {
        XYChart chart = chart(title, "τ (cost / best cost)", "ρ(τ): share of targets");
        double right = Math.max(2, p.maxFiniteRatio() * 1.1);
        for (int s = 0; s < p.methods().size(); s++) {
            List<Double> finite = new ArrayList<>();
            for (double r : p.ratios()[s]) {
                if (Double.isFinite(r)) {
                    finite.add(r);
                }
            }
            java.util.Collections.sort(finite);
            List<Double> xs = new ArrayList<>(List.of(1.0));
            List<Double> ys = new ArrayList<>(List.of(p.rho(s, 1)));
            for (double r : finite) {
                if (r > 1) {
                    xs.add(r);
                    ys.add(ys.get(ys.size() - 1));
                    xs.add(r);
                    ys.add(p.rho(s, r));
                }
            }
            xs.add(right);
            ys.add(ys.get(ys.size() - 1));
            XYSeries line = chart.addSeries(p.methods().get(s), xs, ys);
            line.setLineColor(Plots.color(s));
            line.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(Plots.WIDTH).height(CHART_HEIGHT).title(title).xAxisTitle(x)
                .yAxisTitle(y).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);   // below the plot, never over a curve
        chart.getStyler().setLegendBorderColor(Color.WHITE);
        chart.getStyler().setYAxisDecimalPattern("0.####");
        chart.getStyler().setXAxisDecimalPattern("#");
        return chart;
    }

    private static void band(XYChart chart, String name, Color c, double[] x, double[] lo, double[] hi) {
        int n = x.length;
        if (n < 2) {
            return;
        }
        double[] px = new double[2 * n], py = new double[2 * n];
        for (int k = 0; k < n; k++) {
            px[k] = x[k];
            py[k] = hi[k];
            px[2 * n - 1 - k] = x[k];
            py[2 * n - 1 - k] = lo[k];
        }
        XYSeries band = chart.addSeries(name + " (min-max)", px, py);
        band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        band.setFillColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 50));
        band.setLineColor(new Color(0, 0, 0, 0));
        band.setMarker(SeriesMarkers.NONE);
        band.setShowInLegend(false);
    }

    /** The markers around a study's summary in a README ({@link #summary}, {@link #intoReadme}). */
    public static final String SUMMARY_BEGIN = "<!-- study-summary: generated by sofim study readme; edits are overwritten -->";
    public static final String SUMMARY_END = "<!-- /study-summary -->";

    /**
     * The report's summary for a README: per workload, each method's success and median gradient evaluations per target,
     * the paired findings, the performance profile, the main plots (linked relative to {@code base}, the README's folder)
     * and the generated conclusion; every number as the report prints it (a test checks each one against the report).
     */
    public static String summary(Study study, Path base) throws IOException {
        StudySpec spec = study.spec();
        Tables tables = tables(study);
        String rel = base.toAbsolutePath().normalize().relativize(study.dir().toAbsolutePath().normalize()).toString()
                .replace('\\', '/');
        StringBuilder md = new StringBuilder();
        md.append("Study `").append(spec.name()).append("` (").append("[full report](").append(rel).append("/report.md)")
                .append("): success (runs reaching the target) and Kaplan–Meier median gradient evaluations to it, per "
                        + "target (workload/metric@share of the budget at which the tuned ").append(spec.targets().reference())
                .append(" reached that level on the validation split).\n\n");
        for (StudySpec.Workload w : spec.workloads()) {
            List<Row> rows = tables.rows().stream().filter(r -> r.target().workload().equals(w.name())).toList();
            List<String> targets = rows.stream().map(r -> r.target().id()).distinct().toList();
            md.append("**").append(w.name()).append("**\n\n| method |");
            targets.forEach(t -> md.append(' ').append(t.substring(w.name().length() + 1)).append(" |"));
            md.append("\n|---|");
            targets.forEach(t -> md.append("---:|"));
            md.append('\n');
            for (StudySpec.Method m : spec.methods()) {
                md.append("| ").append(m.name()).append(" |");
                for (String t : targets) {
                    Row r = rows.stream().filter(x -> x.method().equals(m.name()) && x.target().id().equals(t)).findFirst()
                            .orElse(null);
                    md.append(' ').append(r == null ? "–" : r.reached() + "/" + r.runs() + ", " + end(r.median())).append(" |");
                }
                md.append('\n');
            }
            md.append("\n").append(spec.subject()).append(" against each method, paired by seed (the finding; seeds on which ")
                    .append(spec.subject()).append(" was later/sooner/tied):\n\n| against |");
            targets.forEach(t -> md.append(' ').append(t.substring(w.name().length() + 1)).append(" |"));
            md.append("\n|---|");
            targets.forEach(t -> md.append("---|"));
            md.append('\n');
            for (StudySpec.Method m : spec.methods()) {
                if (m.name().equals(spec.subject())) {
                    continue;
                }
                md.append("| ").append(m.name()).append(" |");
                for (String t : targets) {
                    Pair p = tables.pairs().stream().filter(x -> x.other().equals(m.name()) && x.target().id().equals(t))
                            .findFirst().orElse(null);
                    md.append(' ').append(p == null ? "–" : p.finding().shortLabel + " (" + p.seeds() + ")").append(" |");
                }
                md.append('\n');
            }
            md.append("\nsooner, later: declared after Holm's correction at ").append(ALPHA).append("; sooner*, later*: the "
                    + "95% interval of the median paired difference lies on one side of 0, not confirmed after the "
                    + "correction.\n");
            md.append("\n![").append(w.name()).append(" test accuracy](").append(rel).append("/plots/").append(w.name())
                    .append("-test-accuracy-vs-evaluations.png) ![").append(w.name()).append(" regime](").append(rel)
                    .append("/plots/").append(w.name()).append("-diagnostics-fisher-ratio.png)\n\n");
        }
        md.append("Performance profile over workloads × targets (gradient evaluations):\n\n");
        profileTable(md, profile(spec, tables.rows(), false));
        md.append("![performance profile](").append(rel).append("/plots/profile-evaluations.png)\n\n");
        conclusion(md, spec, tables, "**Conclusion** (generated from the paired comparisons)");
        return md.toString();
    }

    /** Replaces the text between the summary markers of {@code readme} with {@link #summary}; an error without them. */
    public static void intoReadme(Study study, Path readme) throws IOException {
        String text = Files.readString(readme);
        int a = text.indexOf(SUMMARY_BEGIN);
        int b = text.indexOf(SUMMARY_END);
        if (a < 0 || b < a) {
            throw new IllegalArgumentException(readme + " has no '" + SUMMARY_BEGIN + "' … '" + SUMMARY_END
                    + "' section to write the study's summary into");
        }
        String body = summary(study, readme.toAbsolutePath().getParent());
        AtomicFiles.writeString(readme, text.substring(0, a + SUMMARY_BEGIN.length()) + "\n" + body + text.substring(b));
    }

    /**
     * Per workload, how many targets each paired comparison reads which way (the per-target findings are in the table
     * above it), after the sentence on what the seeds let Holm's correction declare.
     */
    private static void conclusion(StringBuilder md, StudySpec spec, Tables tables, String heading) {
        md.append(heading).append("\n\n").append(power(tables)).append("\n\n");
        for (StudySpec.Workload w : spec.workloads()) {
            md.append("**").append(w.name()).append("**: of its targets, on how many ").append(spec.subject())
                    .append(" was\n\n| against |");
            for (Finding r : Finding.values()) {
                md.append(' ').append(r.label).append(" |");
            }
            md.append("\n|---|");
            for (Finding r : Finding.values()) {
                md.append("---:|");
            }
            md.append('\n');
            for (StudySpec.Method m : spec.methods()) {
                if (m.name().equals(spec.subject())) {
                    continue;
                }
                Map<Finding, Integer> count = new java.util.EnumMap<>(Finding.class);
                tables.pairs().stream().filter(p -> p.target().workload().equals(w.name()) && p.other().equals(m.name()))
                        .forEach(p -> count.merge(p.finding(), 1, Integer::sum));
                if (count.isEmpty()) {
                    continue;
                }
                md.append("| ").append(m.name()).append(" |");
                for (Finding r : Finding.values()) {
                    md.append(' ').append(count.getOrDefault(r, 0)).append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
        }
    }

    private static String end(double v) {
        return Double.isInfinite(v) ? (v > 0 ? "∞" : "−∞") : Double.isNaN(v) ? "–" : fmt("%.0f", v);
    }

    static String fmt(String f, double v) {
        return Double.isNaN(v) ? "–" : Double.isInfinite(v) ? (v > 0 ? "∞" : "−∞") : String.format(Locale.ROOT, f, v);
    }
}
