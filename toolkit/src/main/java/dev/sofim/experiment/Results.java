package dev.sofim.experiment;

import dev.sofim.data.DatasetFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The config, epoch records, evaluation points and divergences of an experiment, from a run or read back from its
 * results folder (a folder written before evaluation points existed has none).
 */
public record Results(ExperimentConfig config, List<EpochRecord> records, List<Divergence> divergences,
                      List<EvalPoint> points) {
    static final String DIVERGED_HEADER = "optimizer,seed,epoch,message";

    public Results {
        records = List.copyOf(records);
        divergences = List.copyOf(divergences);
        points = List.copyOf(points);
    }

    public Results(ExperimentConfig config, List<EpochRecord> records, List<Divergence> divergences) {
        this(config, records, divergences, List.of());
    }

    public Results(ExperimentConfig config, List<EpochRecord> records) {
        this(config, records, List.of());
    }

    /** A run's evaluation points in step order (empty for folders written before they existed). */
    public List<EvalPoint> points(String optimizer, long seed) {
        return points.stream().filter(p -> p.optimizer().equals(optimizer) && p.seed() == seed).toList();
    }

    /** The first evaluation point of a run that meets a target, if any. */
    public Optional<EvalPoint> firstPointReaching(String optimizer, long seed, Metric metric, double target) {
        return points(optimizer, seed).stream().filter(p -> metric.reached(p.metric(metric), target)).findFirst();
    }

    /**
     * Whether a run has ended: diverged, all its epochs done, or its gradient-evaluation budget spent (as
     * {@link ResultsStore#finished} decides while it runs).
     */
    public boolean finished(String optimizer, long seed) {
        if (diverged(optimizer, seed)) {
            return true;
        }
        Optional<EpochRecord> last = last(optimizer, seed);
        return last.isPresent() && (last.get().epoch() >= config.epochs() || (config.maxGradientEvaluations() > 0
                && last.get().gradientEvaluations() >= config.maxGradientEvaluations()));
    }

    /** Whether the run diverged (stopped by a non-finite gradient or a loss explosion). */
    public boolean diverged(String optimizer, long seed) {
        return divergences.stream().anyMatch(d -> d.optimizer().equals(optimizer) && d.seed() == seed);
    }

    /** Reads a results folder written by {@link Experiment} (CLI or notebook). */
    public static Results load(Path dir) throws IOException {
        if (!Files.exists(dir.resolve("config.json"))) {
            throw new IllegalArgumentException(dir + " is not a results folder: it has no config.json");
        }
        return new Results(ConfigJson.read(dir.resolve("config.json")),
                Files.exists(dir.resolve("metrics.csv")) ? readRecords(dir) : List.of(), readDivergences(dir),
                readPoints(dir));
    }

    /**
     * The newest results folder below {@code root} whose name starts with {@code namePrefix} and that has metrics
     * (e.g. the last quickstart run), if any.
     */
    public static Optional<Path> latest(Path root, String namePrefix) throws IOException {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (var s = Files.list(root)) {
            List<Path> found = s.filter(p -> p.getFileName().toString().startsWith(namePrefix)
                    && Files.exists(p.resolve("metrics.csv"))).toList();
            Path best = null;
            long newest = Long.MIN_VALUE;
            for (Path p : found) {
                long t = Files.getLastModifiedTime(p.resolve("metrics.csv")).toMillis();
                if (t > newest) {
                    newest = t;
                    best = p;
                }
            }
            return Optional.ofNullable(best);
        }
    }

    /** The record after a run's last epoch, if the run has any. */
    public Optional<EpochRecord> last(String optimizer, long seed) {
        List<EpochRecord> r = run(optimizer, seed);
        return r.isEmpty() ? Optional.empty() : Optional.of(r.get(r.size() - 1));
    }

    /** Whether a run has, epoch by epoch, exactly the same losses and accuracy here and in {@code other}. */
    public boolean sameNumbers(Results other, String optimizer, long seed) {
        List<EpochRecord> a = run(optimizer, seed);
        List<EpochRecord> b = other.run(optimizer, seed);
        if (a.isEmpty() || a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            for (Metric m : Metric.values()) {
                if (Double.compare(a.get(i).metric(m), b.get(i).metric(m)) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Each family's choice in a tuning grid: its held-out accuracy and its rule, a line each. */
    public String choices() {
        StringBuilder sb = new StringBuilder();
        bestPerFamily().forEach((family, t) -> sb.append(String.format(Locale.ROOT, "  %-16s held-out accuracy %.4f  %s%n",
                family, t.heldOutAccuracy(), t.optimizer().rule())));
        return sb.toString();
    }

    /** The optimizer names, in config order. */
    public List<String> optimizers() {
        return config.optimizers().stream().map(OptimizerSpec::name).toList();
    }

    /** The records of one run, by epoch. */
    public List<EpochRecord> run(String optimizer, long seed) {
        return records.stream().filter(r -> r.optimizer().equals(optimizer) && r.seed() == seed)
                .sorted(java.util.Comparator.comparingInt(EpochRecord::epoch)).toList();
    }

    /** The first epoch of a run that reaches {@code target} in {@code metric}, if any. */
    public Optional<EpochRecord> firstReaching(String optimizer, long seed, Metric metric, double target) {
        return run(optimizer, seed).stream().filter(r -> metric.reached(r.metric(metric), target)).findFirst();
    }

    /** Time-to-target for every optimizer and every target the config sets, as in the paper's tables. */
    public List<TimeToTarget> timeToTarget() {
        List<TimeToTarget> out = new ArrayList<>();
        for (Metric m : Metric.values()) {
            Double target = m.target(config.targets());
            if (target == null) {
                continue;
            }
            for (String o : optimizers()) {
                List<EpochRecord> hits = new ArrayList<>();
                int runs = 0;
                for (long s : config.seeds()) {
                    long seed = s;
                    if (run(o, s).isEmpty() && divergences.stream().noneMatch(d -> d.optimizer().equals(o) && d.seed() == seed)) {
                        continue;
                    }
                    runs++;
                    firstReaching(o, s, m, target).ifPresent(hits::add);
                }
                out.add(new TimeToTarget(o, m, target, runs, hits.stream().map(EpochRecord::epoch).toList(),
                        hits.stream().map(EpochRecord::seconds).toList(),
                        hits.stream().map(EpochRecord::gradientEvaluations).toList()));
            }
        }
        return out;
    }

    /**
     * The summary as CSV: a row per optimizer and metric, whether or not the config sets a target for it. Columns:
     * the target and time to it (blank without a target or when no run reached it: runs, reached, epochs, seconds
     * and gradient evaluations as mean and range over the seeds that reached it), the metric after the last epoch
     * (mean and range over seeds), gradient evaluations per step and optimizer state per parameter.
     */
    public String summaryCsv() {
        StringBuilder sb = new StringBuilder("optimizer,metric,target,runs,reached,mean_epochs,min_epochs,max_epochs,"
                + "mean_seconds,min_seconds,max_seconds,mean_gradient_evaluations,final_mean,final_min,final_max,"
                + "evaluations_per_step,state_per_parameter\n");
        List<TimeToTarget> ttt = timeToTarget();
        for (String o : optimizers()) {
            double perStep = evaluationsPerStep(o);
            List<EpochRecord> last = lastEpochs(o);
            for (Metric m : Metric.values()) {
                TimeToTarget t = ttt.stream().filter(x -> x.optimizer().equals(o) && x.metric() == m).findFirst().orElse(null);
                boolean none = t == null || t.reached() == 0;
                var fin = last.stream().mapToDouble(r -> r.metric(m)).summaryStatistics();
                sb.append(String.join(",", o, m.name().toLowerCase(Locale.ROOT),
                        t == null ? "" : String.valueOf(t.target()), t == null ? "" : String.valueOf(t.runs()),
                        t == null ? "" : String.valueOf(t.reached()),
                        none ? "" : fmt("%.2f", t.meanEpochs()), none ? "" : String.valueOf(t.minEpochs()),
                        none ? "" : String.valueOf(t.maxEpochs()), none ? "" : fmt("%.2f", t.meanSeconds()),
                        none ? "" : fmt("%.2f", t.minSeconds()), none ? "" : fmt("%.2f", t.maxSeconds()),
                        none ? "" : fmt("%.0f", t.meanEvaluations()),
                        last.isEmpty() ? "" : fmt("%.6f", fin.getAverage()), last.isEmpty() ? "" : fmt("%.6f", fin.getMin()),
                        last.isEmpty() ? "" : fmt("%.6f", fin.getMax()),
                        Double.isNaN(perStep) ? "" : fmt("%.3f", perStep),
                        fmt("%.0f", config.optimizer(o).rule().statePerParameter()))).append('\n');
            }
        }
        return sb.toString();
    }

    private static String fmt(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }

    /**
     * Mini-batch gradient evaluations per optimizer step, over every finished epoch of every seed (1 for a
     * first-order method; NaN without records).
     */
    public double evaluationsPerStep(String optimizer) {
        List<EpochRecord> last = lastEpochs(optimizer);
        long steps = last.stream().mapToLong(EpochRecord::steps).sum();
        return steps == 0 ? Double.NaN : (double) last.stream().mapToLong(EpochRecord::gradientEvaluations).sum() / steps;
    }

    /**
     * One tuning trial: an optimizer setting's held-out metrics after its last epoch, as means over the
     * seeds; {@code complete} is false when a seed diverged or has not finished every epoch.
     */
    public record Trial(OptimizerSpec optimizer, double heldOutAccuracy, double heldOutLoss, boolean complete) {
        /** The optimizer's {@link OptimizerSpec#family() family}. */
        public String family() {
            return optimizer.family();
        }
    }

    /** Every optimizer's final held-out metrics, in config order (for tuning grids). */
    public List<Trial> trials() {
        List<Trial> out = new ArrayList<>();
        for (OptimizerSpec spec : config.optimizers()) {
            List<EpochRecord> last = lastEpochs(spec.name());
            boolean complete = last.size() == config.seeds().size()
                    && last.stream().allMatch(r -> r.epoch() == config.epochs())
                    && divergences.stream().noneMatch(d -> d.optimizer().equals(spec.name()));
            out.add(new Trial(spec, mean(last, EpochRecord::testAccuracy), mean(last, EpochRecord::testLoss), complete));
        }
        return out;
    }

    /**
     * The tuning choice: per {@link OptimizerSpec#family() family}, the complete trial with the highest
     * final held-out accuracy (mean over seeds), ties going to the lower held-out loss. Diverged or
     * unfinished settings are never chosen; a family none of whose settings completed is absent.
     * Meant for configs that {@code evaluateOn} the validation split, so the choice never sees the test set.
     */
    public Map<String, Trial> bestPerFamily() {
        Map<String, Trial> best = new java.util.LinkedHashMap<>();
        java.util.Comparator<Trial> better = java.util.Comparator.comparingDouble(Trial::heldOutAccuracy)
                .thenComparing(java.util.Comparator.comparingDouble(Trial::heldOutLoss).reversed());
        for (Trial t : trials()) {
            if (t.complete() && Double.isFinite(t.heldOutLoss())) {
                best.merge(t.family(), t, (a, b) -> better.compare(b, a) > 0 ? b : a);
            }
        }
        return best;
    }

    /** The chosen setting of every family ({@link #bestPerFamily}), each named by its family: the optimizers to report on. */
    public List<OptimizerSpec> tuned() {
        return bestPerFamily().entrySet().stream().map(e -> new OptimizerSpec(e.getKey(), e.getValue().optimizer().rule()))
                .toList();
    }

    /** Every trial with its settings and whether it was chosen, as CSV. */
    public String tuningCsv() {
        Map<String, Trial> best = bestPerFamily();
        StringBuilder sb = new StringBuilder("family,optimizer,settings,held_out,final_accuracy,final_loss,complete,chosen\n");
        for (Trial t : trials()) {
            String settings = t.optimizer().settings().entrySet().stream().filter(e -> !e.getKey().equals("type"))
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(" "));
            sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%b,%b%n", t.family(), t.optimizer().name(), settings,
                    config.evaluateOn().name().toLowerCase(Locale.ROOT), t.heldOutAccuracy(), t.heldOutLoss(),
                    t.complete(), best.containsKey(t.family()) && best.get(t.family()).optimizer().equals(t.optimizer())));
        }
        return sb.toString();
    }

    /** A readable table: the optimizers' settings, final mean metrics and time-to-target per optimizer. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        String held = config.evaluateOn() == ExperimentConfig.EvaluateOn.TEST ? "test" : "val";
        String name = "%-" + Math.max(16, optimizers().stream().mapToInt(String::length).max().orElse(0)) + "s";
        for (OptimizerSpec o : config.optimizers()) {
            sb.append(String.format(Locale.ROOT, name + " %s%n", o.name(), o.rule()));
        }
        if (config.evaluateOn() == ExperimentConfig.EvaluateOn.VALIDATION) {
            sb.append(String.format(Locale.ROOT, "held-out metrics are on the validation split (%d images carved from "
                    + "the training set); the test set is not used%n", config.data().validationSize()));
        }
        sb.append(System.lineSeparator());
        sb.append(String.format(Locale.ROOT, name + " %6s %11s %11s %9s %9s %10s %11s%n", "optimizer", "epochs",
                "train loss", held + " loss", held + " acc", "seconds", "evals/step", "state/param"));
        for (String o : optimizers()) {
            List<EpochRecord> last = lastEpochs(o);
            if (last.isEmpty()) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, name + " %6d %11.4f %11.4f %9.4f %9.1f %10.2f %11.0f%n", o,
                    last.get(0).epoch(), mean(last, EpochRecord::trainLoss), mean(last, EpochRecord::testLoss),
                    mean(last, EpochRecord::testAccuracy), mean(last, EpochRecord::seconds), evaluationsPerStep(o),
                    config.optimizer(o).rule().statePerParameter()));
        }
        for (Divergence d : divergences) {
            sb.append(String.format(Locale.ROOT, name + " seed %d diverged in epoch %d%n", d.optimizer(), d.seed(), d.epoch()));
        }
        List<TimeToTarget> ttt = timeToTarget();
        if (!ttt.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%ntime to target (mean over the seeds that reach it)%n"));
            for (TimeToTarget t : ttt) {
                sb.append(String.format(Locale.ROOT, name + " %-19s %-8s %s%n", t.optimizer(), t.metric().label(config.evaluateOn()),
                        (t.metric() == Metric.TEST_ACCURACY ? "\u2265 " : "\u2264 ") + t.target(), t.describe()));
            }
        }
        if (config.evaluateOn() == ExperimentConfig.EvaluateOn.VALIDATION) {
            sb.append(String.format(Locale.ROOT, "%nchosen per family (highest final val acc, then lowest val loss)%n"));
            bestPerFamily().forEach((family, t) -> sb.append(String.format(Locale.ROOT, "%-28s %-24s acc %.4f  loss %.4f  %s%n",
                    family, t.optimizer().name(), t.heldOutAccuracy(), t.heldOutLoss(), t.optimizer().settings())));
        }
        return sb.toString();
    }

    /**
     * The comparison as a Markdown table, one row per optimizer: its settings, epochs (and seconds for the
     * accuracy target) to each target as mean [min–max] over the seeds that reached it, with how many did, and
     * the final held-out accuracy as mean [min–max] over seeds. For READMEs and reports.
     */
    public String markdown() {
        String held = config.evaluateOn() == ExperimentConfig.EvaluateOn.TEST ? "test" : "validation";
        List<TimeToTarget> ttt = timeToTarget();
        List<Metric> metrics = ttt.stream().map(TimeToTarget::metric).distinct().toList();
        StringBuilder sb = new StringBuilder("| optimizer | settings |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (Metric m : metrics) {
            sb.append(String.format(Locale.ROOT, " epochs to %s %s %s |", m.label(config.evaluateOn()),
                    m == Metric.TEST_ACCURACY ? "≥" : "≤", m.target(config.targets())));
            rule.append("---:|");
            if (m == Metric.TEST_ACCURACY) {
                sb.append(" seconds to it | gradient evaluations to it |");
                rule.append("---:|---:|");
            }
        }
        sb.append(String.format(Locale.ROOT, " %s accuracy after %d epochs | gradient evaluations per step | state per parameter |%n",
                held, config.epochs()));
        sb.append(rule).append("---:|---:|---:|\n");
        for (OptimizerSpec o : config.optimizers()) {
            sb.append("| ").append(o.name()).append(" | ").append(o.settings().entrySet().stream()
                    .filter(e -> !e.getKey().equals("type") && !(e.getValue() instanceof String v && (v.equals("FULL") || v.equals("GLOBAL"))))
                    .map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", "))).append(" |");
            for (Metric m : metrics) {
                TimeToTarget t = ttt.stream().filter(x -> x.metric() == m && x.optimizer().equals(o.name())).findFirst().orElseThrow();
                if (t.reached() == 0) {
                    sb.append(" not reached (0/").append(t.runs()).append(") |");
                    if (m == Metric.TEST_ACCURACY) {
                        sb.append(" – | – |");
                    }
                    continue;
                }
                String count = t.reached() < t.runs() ? " (" + t.reached() + "/" + t.runs() + ")" : "";
                sb.append(String.format(Locale.ROOT, " %.2f [%d–%d]%s |", t.meanEpochs(), t.minEpochs(), t.maxEpochs(), count));
                if (m == Metric.TEST_ACCURACY) {
                    sb.append(String.format(Locale.ROOT, " %.0f [%.0f–%.0f] | %.0f |", t.meanSeconds(), t.minSeconds(),
                            t.maxSeconds(), t.meanEvaluations()));
                }
            }
            var accuracy = lastEpochs(o.name()).stream().mapToDouble(EpochRecord::testAccuracy).summaryStatistics();
            sb.append(accuracy.getCount() == 0 ? " – |" : String.format(Locale.ROOT, " %.4f [%.4f–%.4f] |",
                    accuracy.getAverage(), accuracy.getMin(), accuracy.getMax()));
            double perStep = evaluationsPerStep(o.name());
            sb.append(Double.isNaN(perStep) ? " – |" : String.format(Locale.ROOT, " %.2f |", perStep));
            sb.append(String.format(Locale.ROOT, " %.0f |", o.rule().statePerParameter()));
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Sentences stating, per target, which optimizer reached it first and how the others did. */
    public String conclusion() {
        StringBuilder sb = new StringBuilder();
        for (Metric m : Metric.values()) {
            List<TimeToTarget> rows = timeToTarget().stream().filter(t -> t.metric() == m).toList();
            if (rows.isEmpty()) {
                continue;
            }
            String goal = m.label(config.evaluateOn()) + (m == Metric.TEST_ACCURACY ? " >= " : " <= ") + rows.get(0).target();
            List<TimeToTarget> reached = rows.stream().filter(t -> t.reached() == t.runs() && t.runs() > 0)
                    .sorted(java.util.Comparator.comparingDouble(TimeToTarget::meanSeconds)).toList();
            if (reached.isEmpty()) {
                sb.append(String.format(Locale.ROOT, "- %s: no optimizer reached it in every run within %d epochs.%n",
                        goal, config.epochs()));
                continue;
            }
            TimeToTarget best = reached.get(0);
            sb.append(String.format(Locale.ROOT, "- %s: %s first (%s).", goal, best.optimizer(), best.describe()));
            for (TimeToTarget t : rows) {
                if (t != best) {
                    sb.append(String.format(Locale.ROOT, " %s: %s.", t.optimizer(), t.describe()));
                }
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }

    /** The last recorded epoch of each seed's run of an optimizer, in seed order (seeds without records left out). */
    private List<EpochRecord> lastEpochs(String optimizer) {
        List<EpochRecord> last = new ArrayList<>();
        for (long s : config.seeds()) {
            List<EpochRecord> run = run(optimizer, s);
            if (!run.isEmpty()) {
                last.add(run.get(run.size() - 1));
            }
        }
        return last;
    }

    private static double mean(List<EpochRecord> rs, java.util.function.ToDoubleFunction<EpochRecord> f) {
        return rs.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    static List<Divergence> readDivergences(Path dir) throws IOException {
        Path f = dir.resolve("diverged.csv");
        List<Divergence> out = new ArrayList<>();
        if (Files.exists(f)) {
            for (String[] r : rows(f, DIVERGED_HEADER, 4)) {
                out.add(new Divergence(r[0], Long.parseLong(r[1]), Integer.parseInt(r[2]), r[3]));
            }
        }
        return out;
    }

    /** The evaluation points of {@code evals.csv} with their wall clock from {@code eval-timing.csv} (none: empty). */
    static List<EvalPoint> readPoints(Path dir) throws IOException {
        Path f = dir.resolve(ResultsStore.EVALS);
        if (!Files.exists(f)) {
            return new ArrayList<>();
        }
        Map<String, double[]> timing = new HashMap<>();
        Path timingFile = dir.resolve(ResultsStore.EVAL_TIMING);
        if (Files.exists(timingFile)) {
            for (String[] t : rows(timingFile, EvalPoint.TIMING_HEADER, 5)) {
                timing.put(t[0] + "," + t[1] + "," + t[2], new double[] {Double.parseDouble(t[3]), Double.parseDouble(t[4])});
            }
        }
        List<EvalPoint> out = new ArrayList<>();
        for (String[] r : rows(f, EvalPoint.HEADER, 12)) {
            double[] t = timing.getOrDefault(r[0] + "," + r[1] + "," + r[2], new double[] {Double.NaN, Double.NaN});
            out.add(EvalPoint.parse(r).withTiming(t[0], t[1]));
        }
        return out;
    }

    static List<EpochRecord> readRecords(Path dir) throws IOException {
        Map<String, double[]> timing = new HashMap<>();
        Path timingFile = dir.resolve("timing.csv");
        if (Files.exists(timingFile)) {
            for (String[] f : rows(timingFile, ResultsStore.TIMING_HEADER, 5)) {
                timing.put(f[0] + "," + f[1] + "," + f[2], new double[] {Double.parseDouble(f[3]), Double.parseDouble(f[4])});
            }
        }
        List<EpochRecord> out = new ArrayList<>();
        Path metrics = dir.resolve("metrics.csv");
        boolean legacy = Files.exists(metrics) && Files.readAllLines(metrics).stream().findFirst()
                .filter(ResultsStore.LEGACY_METRICS_HEADER::equals).isPresent();
        for (String[] f : legacy ? rows(metrics, ResultsStore.LEGACY_METRICS_HEADER, 6)
                : rows(metrics, ResultsStore.METRICS_HEADER, 8)) {
            double[] t = timing.getOrDefault(f[0] + "," + f[1] + "," + f[2], new double[] {Double.NaN, Double.NaN});
            long seed = Long.parseLong(f[1]);
            int epoch = Integer.parseInt(f[2]);
            long steps = legacy ? legacySteps(dir, f[0], seed, epoch) : Long.parseLong(f[6]);
            out.add(new EpochRecord(f[0], seed, epoch, Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                    Double.parseDouble(f[5]), t[0], t[1], steps, legacy ? steps : Long.parseLong(f[7])));
        }
        // a run's epochs are 1, 2, ..., k, each once: a repeated or skipped epoch is an edited or damaged file
        Map<String, List<Integer>> epochs = new LinkedHashMap<>();
        out.forEach(r -> epochs.computeIfAbsent(r.optimizer() + " seed " + r.seed(), k -> new ArrayList<>()).add(r.epoch()));
        for (Map.Entry<String, List<Integer>> e : epochs.entrySet()) {
            List<Integer> sorted = e.getValue().stream().sorted().toList();
            for (int i = 0; i < sorted.size(); i++) {
                if (sorted.get(i) != i + 1) {
                    throw new DatasetFormatException(metrics, "run " + e.getKey() + " has epochs " + e.getValue()
                            + "; expected 1 to " + sorted.size() + ", each once (the file was edited or damaged: restore "
                            + "it, or delete the results folder to run again)");
                }
            }
        }
        return out;
    }

    /**
     * Steps up to an epoch of a run written before metrics.csv counted them: its minibatch rows in
     * iterations/. Only first-order optimizers existed then, so gradient evaluations equal steps.
     */
    private static long legacySteps(Path dir, String optimizer, long seed, int epoch) throws IOException {
        Path f = dir.resolve("iterations").resolve(optimizer + "-seed" + seed + ".csv");
        if (!Files.exists(f)) {
            return 0;
        }
        try (var lines = Files.lines(f)) {
            return lines.skip(1).filter(l -> !l.isBlank())
                    .filter(l -> Integer.parseInt(l.substring(0, l.indexOf(','))) <= epoch).count();
        }
    }

    private static List<String[]> rows(Path file, String header, int columns) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("missing results file " + file);
        }
        if (lines.isEmpty() || !lines.get(0).equals(header)) {
            throw new DatasetFormatException(file, "expected header '" + header + "', got "
                    + (lines.isEmpty() ? "an empty file" : "'" + lines.get(0) + "'"));
        }
        String[] names = header.split(",");
        List<String[]> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] f = lines.get(i).split(",", -1);
            if (f.length != columns) {
                throw new DatasetFormatException(file, "line " + (i + 1) + ": expected " + columns + " columns, got "
                        + f.length);
            }
            checkNumbers(file, i + 1, names, f);
            out.add(f);
        }
        return out;
    }

    /** Columns of the results files that hold text; the others hold numbers. */
    private static final java.util.Set<String> TEXT_COLUMNS = java.util.Set.of("optimizer", "message");

    /** Columns that hold whole numbers. */
    private static final java.util.Set<String> WHOLE_COLUMNS = java.util.Set.of("seed", "epoch", "step", "steps", "batch",
            "gradient_evaluations");

    /** Every number column of a row parses, or an error names the file, line, column and value. */
    private static void checkNumbers(Path file, int line, String[] names, String[] f) throws DatasetFormatException {
        for (int c = 0; c < f.length; c++) {
            if (TEXT_COLUMNS.contains(names[c])) {
                continue;
            }
            try {
                if (WHOLE_COLUMNS.contains(names[c])) {
                    Long.parseLong(f[c]);
                } else {
                    Double.parseDouble(f[c]);
                }
            } catch (NumberFormatException e) {
                throw new DatasetFormatException(file, "line " + line + ", column " + names[c] + ": '" + f[c] + "' is not "
                        + (WHOLE_COLUMNS.contains(names[c]) ? "a whole number" : "a number")
                        + "; the file was edited or damaged (restore it, or delete the results folder to run again)");
            }
        }
    }
}
