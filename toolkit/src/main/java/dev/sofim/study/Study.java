package dev.sofim.study;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.sofim.data.AtomicFiles;
import dev.sofim.data.Checksums;
import dev.sofim.experiment.ConfigJson;
import dev.sofim.experiment.EvalPoint;
import dev.sofim.experiment.ExperimentConfig;
import dev.sofim.experiment.Metric;
import dev.sofim.experiment.OptimizerSpec;
import dev.sofim.experiment.Results;
import dev.sofim.sweep.Axis;
import dev.sofim.sweep.Cell;
import dev.sofim.sweep.Sweep;
import dev.sofim.sweep.SweepRunner;
import dev.sofim.sweep.SweepStore;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A study's folder and its phases, each resumable and each executed as sweeps on any {@link SweepRunner} (this JVM,
 * worker processes, Spark), so a cell's numbers do not depend on who ran it:
 * <ol>
 *   <li>{@code tune}: per workload, {@code tuning.trials} quasi-random ({@link Halton}) settings per method on the
 *       training split minus the validation split, one seed, the full budget, held-out metrics on the validation split;
 *       objective: gradient evaluations to the workload's tuning target (censored at the budget; ties: the final
 *       validation loss). The edge rule: a winner in the outer tenth of a log range shifts that range by half its width
 *       once, and the method's trials are re-drawn (the next points of the sequence) on it; {@code shifts.json}
 *       records it.</li>
 *   <li>{@code targets}: the levels the tuned reference method reaches (best so far) at the declared fractions of the
 *       budget, per metric, written with their SHA-256 to {@code targets.json}; never rewritten.</li>
 *   <li>{@code run}: every method at its tuned setting on the final seeds (the same initial weights and minibatch
 *       order for a seed across methods), held-out metrics on the test set; refused, naming the target, when
 *       {@code targets.json} differs from what the tuning runs give.</li>
 * </ol>
 * Layout: {@code study.json}; {@code <workload>/tune/round1/} (and {@code round2/}) and {@code <workload>/final/seeds-K/}
 * sweep stores; {@code shifts.json}, {@code tuning.csv}, {@code targets.json}; the report ({@link StudyReport}).
 */
public final class Study {
    public static final String STUDY_FILE = "study.json";
    public static final String TARGETS_FILE = "targets.json";
    public static final String SHIFTS_FILE = "shifts.json";
    public static final String TUNING_FILE = "tuning.csv";

    private final StudySpec spec;
    private final Path dir;

    private Study(StudySpec spec, Path dir) {
        this.spec = spec;
        this.dir = dir;
    }

    /** Opens (or starts) the folder of {@code spec}; a folder holding another study is refused, nothing touched. */
    public static Study open(StudySpec spec, Path dir) throws IOException {
        Path f = dir.resolve(STUDY_FILE);
        String json = spec.toJson();
        if (Files.exists(f)) {
            if (!StudySpec.parse(Files.readString(f)).toJson().equals(json)) {
                throw new IllegalArgumentException(dir + " holds another study (its " + STUDY_FILE + " differs from "
                        + spec.name() + "'s); use another folder, or delete it to start over");
            }
        } else {
            Files.createDirectories(dir);
            AtomicFiles.writeString(f, json);
        }
        return new Study(spec, dir);
    }

    /** The study without a folder: for {@link #plan} and {@link #calibrate} only. */
    public static Study planning(StudySpec spec) {
        return new Study(spec, null);
    }

    /** The study in an existing folder. */
    public static Study at(Path dir) throws IOException {
        Path f = dir.resolve(STUDY_FILE);
        if (!Files.exists(f)) {
            throw new IllegalArgumentException(dir + " is not a study folder: it has no " + STUDY_FILE);
        }
        return new Study(StudySpec.read(f), dir);
    }

    public StudySpec spec() {
        return spec;
    }

    public Path dir() {
        return dir;
    }

    // ------------------------------------------------------------------ configs

    /** Training images of a workload: its trainSize, or the training set minus the validation split. */
    static int trainImages(StudySpec.Workload w) {
        return w.trainSize() > 0 ? w.trainSize() : w.dataset().trainImages() - w.validationSize();
    }

    /** A workload's experiment config (no optimizers yet): enough epochs for the budget, which ends every run. */
    ExperimentConfig.Builder base(StudySpec.Workload w, String phase, ExperimentConfig.EvaluateOn on, List<Long> seeds) {
        int stepsPerEpoch = (trainImages(w) + w.batchSize() - 1) / w.batchSize();
        int epochs = (int) Math.max(1, (w.budget() + stepsPerEpoch - 1) / stepsPerEpoch);
        return ExperimentConfig.builder(spec.name() + "-" + w.name() + "-" + phase).dataset(w.dataset()).model(w.model())
                .batchSize(w.batchSize()).trainSize(w.trainSize()).validationSize(w.validationSize()).testSize(w.testSize())
                .evaluateOn(on).epochs(epochs).maxGradientEvaluations(w.budget()).trainEvalSize(w.trainEvalSize())
                .trainer(spec.trainer()).seeds(seeds);
    }

    /** A method's optimizer: its fixed knobs, the given searched ones, its schedule resolved over the budget's steps. */
    OptimizerSpec optimizer(StudySpec.Method m, StudySpec.Workload w, Map<String, Object> point) {
        Map<String, Object> settings = new LinkedHashMap<>();
        m.fixed().forEach((k, f) -> settings.put(k, f.value()));
        settings.putAll(point);
        if (m.schedule().type().equals("warmup-cosine")) {
            // first-order rules only (checked by the spec): one gradient evaluation per step
            long steps = w.budget();
            long warmup = m.schedule().warmupFraction() == 0 ? 0 : Math.max(1, Math.round(m.schedule().warmupFraction() * steps));
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("type", "warmup-cosine");
            s.put("warmupSteps", warmup);
            s.put("totalSteps", steps);
            s.put("minFactor", m.schedule().minFactor());
            settings.put("schedule", s);
        }
        return OptimizerSpec.of(m.name(), m.type(), settings);
    }

    // ------------------------------------------------------------------ tuning

    /** The trial settings of a method on a space: points {@code first .. first + trials − 1} of the study's sequence. */
    List<Map<String, Object>> trials(StudySpec.Method m, Map<String, Knob> space, int first) {
        Halton h = new Halton(space.size(), spec.tuning().sequenceSeed());
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < spec.tuning().trials(); i++) {
            double[] u = h.point(first + i);
            Map<String, Object> p = new LinkedHashMap<>();
            int j = 0;
            for (Map.Entry<String, Knob> k : space.entrySet()) {
                p.put(k.getKey(), k.getValue().value(u[j++]));
            }
            out.add(p);
        }
        return out;
    }

    /** The tuning sweep of a workload's round: the methods given, each with its trial points. */
    Sweep tuningSweep(StudySpec.Workload w, int round, Map<String, Map<String, Knob>> spaces) {
        ExperimentConfig.Builder b = base(w, "tune" + round, ExperimentConfig.EvaluateOn.VALIDATION, List.of(spec.tuning().seed()));
        List<Axis> axes = new ArrayList<>();
        for (StudySpec.Method m : spec.methods()) {
            if (!spaces.containsKey(m.name())) {
                continue;
            }
            Map<String, Knob> space = spaces.get(m.name());
            List<Map<String, Object>> points = trials(m, space, round == 1 ? 1 : 1 + spec.tuning().trials());
            b.optimizer(m.name(), optimizer(m, w, points.get(0)).rule());
            axes.add(Axis.of(m.name(), new ArrayList<Object>(points)));
        }
        return new Sweep(spec.name() + "-" + w.name() + "-tune" + round, b.build(), axes);
    }

    Path tuningDir(StudySpec.Workload w, int round) {
        return dir.resolve(w.name()).resolve("tune").resolve("round" + round);
    }

    /** One tuning trial with its outcome. */
    public record Trial(String workload, String method, int round, int index, Map<String, Object> settings, String cellId,
                        boolean complete, double evaluationsToTarget, double finalValidationLoss) {
        /** Better first: fewer evaluations to the target (censored last), then a lower final validation loss. */
        static final Comparator<Trial> ORDER = Comparator.comparingDouble(Trial::evaluationsToTarget)
                .thenComparingDouble(t -> Double.isNaN(t.finalValidationLoss()) ? Double.POSITIVE_INFINITY : t.finalValidationLoss())
                .thenComparingInt(Trial::index);
    }

    /** The trials of a round from its store (incomplete ones marked), in method and trial order. */
    List<Trial> trials(StudySpec.Workload w, int round, SweepStore store) throws IOException {
        List<Trial> out = new ArrayList<>();
        int[] index = new int[spec.methods().size()];
        for (Cell c : store.sweep().cells()) {
            StudySpec.Method m = spec.method(c.optimizer());
            @SuppressWarnings("unchecked")
            Map<String, Object> point = (Map<String, Object>) c.coordinates().get(m.name());
            int i = ++index[spec.methods().indexOf(m)];
            Optional<Results> r = store.finishedResults(c);
            double toTarget = Double.POSITIVE_INFINITY;
            double finalLoss = Double.NaN;
            if (r.isPresent()) {
                StudySpec.Goal g = w.tuningTarget();
                Optional<EvalPoint> hit = r.get().firstPointReaching(m.name(), c.seed(), g.metric(), g.value());
                toTarget = hit.map(p -> (double) p.gradientEvaluations()).orElse(Double.POSITIVE_INFINITY);
                List<EvalPoint> pts = r.get().points(m.name(), c.seed());
                if (!r.get().diverged(m.name(), c.seed()) && !pts.isEmpty()) {
                    finalLoss = pts.get(pts.size() - 1).testLoss();
                }
            }
            out.add(new Trial(w.name(), m.name(), round, i, point, c.id(), r.isPresent(), toTarget, finalLoss));
        }
        return out;
    }

    /** An edge-rule shift of one knob. */
    public record Shift(String workload, String method, String knob, Knob from, Knob to, Object winner) {
    }

    /**
     * Runs the tuning of every workload (resuming whatever ran before) on {@code runner}: round 1, then the edge rule,
     * then round 2 for the methods it shifted; writes {@code shifts.json} and {@code tuning.csv}.
     */
    public void tune(SweepRunner runner, PrintStream log) throws IOException {
        for (StudySpec.Workload w : spec.workloads()) {
            Map<String, Map<String, Knob>> spaces = new LinkedHashMap<>();
            spec.methods().forEach(m -> spaces.put(m.name(), m.space()));
            SweepStore one = SweepStore.open(tuningDir(w, 1), tuningSweep(w, 1, spaces));
            runner.run(one, log);
            Optional<Sweep> two = roundTwo(w);
            if (two.isPresent()) {
                runner.run(SweepStore.open(tuningDir(w, 2), two.get()), log);
            }
        }
        writeShifts();
        AtomicFiles.writeString(dir.resolve(TUNING_FILE), tuningCsv());
    }

    /** The shifts of a workload's round 1 (empty until round 1 is complete, or without the edge rule). */
    public List<Shift> shifts(StudySpec.Workload w) throws IOException {
        List<Shift> out = new ArrayList<>();
        if (!spec.tuning().edgeRule() || !Files.exists(tuningDir(w, 1).resolve("sweep.json"))) {
            return out;
        }
        List<Trial> round1 = trials(w, 1, SweepStore.of(tuningDir(w, 1)));
        if (round1.stream().anyMatch(t -> !t.complete())) {
            return out;
        }
        for (StudySpec.Method m : spec.methods()) {
            Trial best = round1.stream().filter(t -> t.method().equals(m.name())).min(Trial.ORDER).orElseThrow();
            for (Map.Entry<String, Knob> k : m.space().entrySet()) {
                Object v = best.settings().get(k.getKey());
                if (v instanceof Number n) {
                    Knob shifted = k.getValue().shiftedToward(n.doubleValue());
                    if (!shifted.equals(k.getValue())) {
                        out.add(new Shift(w.name(), m.name(), k.getKey(), k.getValue(), shifted, v));
                    }
                }
            }
        }
        return out;
    }

    private Optional<Sweep> roundTwo(StudySpec.Workload w) throws IOException {
        List<Shift> shifts = shifts(w);
        if (shifts.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Map<String, Knob>> spaces = new LinkedHashMap<>();
        for (Shift s : shifts) {
            spaces.computeIfAbsent(s.method(), k -> new LinkedHashMap<>(spec.method(k).space())).put(s.knob(), s.to());
        }
        return Optional.of(tuningSweep(w, 2, spaces));
    }

    private void writeShifts() throws IOException {
        List<Object> all = new ArrayList<>();
        for (StudySpec.Workload w : spec.workloads()) {
            for (Shift s : shifts(w)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("workload", s.workload());
                m.put("method", s.method());
                m.put("knob", s.knob());
                m.put("winner", s.winner());
                m.put("from", s.from().toMap());
                m.put("to", s.to().toMap());
                all.add(m);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rule", "a round-1 winner in the outer " + Knob.EDGE + " of a log range shifts that range by half its "
                + "width (in log) towards it, once; the method's trials are re-drawn on it (round 2) and its winner is "
                + "round 2's");
        out.put("shifts", all);
        AtomicFiles.writeString(dir.resolve(SHIFTS_FILE), pretty(out));
    }

    /** Every trial of every workload and round, and the winners (only when a workload's tuning is complete). */
    public List<Trial> allTrials() throws IOException {
        List<Trial> out = new ArrayList<>();
        for (StudySpec.Workload w : spec.workloads()) {
            for (int round = 1; round <= 2; round++) {
                if (Files.exists(tuningDir(w, round).resolve("sweep.json"))) {
                    out.addAll(trials(w, round, SweepStore.of(tuningDir(w, round))));
                }
            }
        }
        return out;
    }

    /** A workload's tuned trial of a method: the best of its last round; empty while that round is incomplete. */
    public Optional<Trial> winner(StudySpec.Workload w, StudySpec.Method m) throws IOException {
        boolean shifted = shifts(w).stream().anyMatch(s -> s.method().equals(m.name()));
        int round = shifted ? 2 : 1;
        if (!Files.exists(tuningDir(w, round).resolve("sweep.json"))) {
            return Optional.empty();
        }
        List<Trial> mine = trials(w, round, SweepStore.of(tuningDir(w, round))).stream()
                .filter(t -> t.method().equals(m.name())).toList();
        if (mine.isEmpty() || mine.stream().anyMatch(t -> !t.complete())) {
            return Optional.empty();
        }
        return mine.stream().min(Trial.ORDER);
    }

    /** The tuned trial, or an error saying tuning is not complete. */
    Trial tuned(StudySpec.Workload w, StudySpec.Method m) throws IOException {
        return winner(w, m).orElseThrow(() -> new IllegalStateException("the tuning of " + m.name() + " on " + w.name()
                + " is not complete; run `sofim study tune` first (it resumes)"));
    }

    String tuningCsv() throws IOException {
        StringBuilder sb = new StringBuilder("workload,method,round,trial,settings,complete,evaluations_to_target,"
                + "final_validation_loss,chosen\n");
        for (Trial t : allTrials()) {
            StudySpec.Workload w = workload(t.workload());
            Optional<Trial> win = winner(w, spec.method(t.method()));
            boolean chosen = win.isPresent() && win.get().cellId().equals(t.cellId());
            sb.append(t.workload()).append(',').append(t.method()).append(',').append(t.round()).append(',')
                    .append(t.index()).append(',').append(settingsText(t.settings())).append(',').append(t.complete())
                    .append(',').append(Double.isInfinite(t.evaluationsToTarget()) ? "censored" : (long) t.evaluationsToTarget())
                    .append(',').append(t.finalValidationLoss()).append(',').append(chosen).append('\n');
        }
        return sb.toString();
    }

    /** Settings as {@code k=v;k=v} (CSV-safe). */
    static String settingsText(Map<String, Object> settings) {
        StringBuilder sb = new StringBuilder();
        settings.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ";").append(k).append('=')
                .append(v instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : v));
        return sb.toString();
    }

    public StudySpec.Workload workload(String name) {
        return spec.workloads().stream().filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no workload " + name + " in study " + spec.name()));
    }

    // ------------------------------------------------------------------ targets

    /** A target: a workload's metric at the level the tuned reference reached by a fraction of the budget. */
    public record Target(String workload, Metric metric, double fraction, double value) {
        /** {@code mnist/validation_accuracy@50%}. */
        public String id() {
            return workload + "/" + StudySpec.metricId(metric) + "@" + Math.round(fraction * 100) + "%";
        }
    }

    /** The targets the tuning runs give (deterministic): an error while tuning is incomplete. */
    public List<Target> deriveTargets() throws IOException {
        List<Target> out = new ArrayList<>();
        StudySpec.Method ref = spec.method(spec.targets().reference());
        for (StudySpec.Workload w : spec.workloads()) {
            Trial t = tuned(w, ref);
            SweepStore store = SweepStore.of(tuningDir(w, t.round()));
            Results r = store.finishedResults(store.sweep().cell(t.cellId())).orElseThrow();
            List<EvalPoint> pts = r.points(ref.name(), spec.tuning().seed());
            for (Metric m : spec.targets().metrics()) {
                for (double f : spec.targets().fractions()) {
                    double by = f * w.budget();
                    double best = Double.NaN;
                    for (EvalPoint p : pts) {
                        if (p.gradientEvaluations() <= by + 1e-9) {
                            double v = p.metric(m);
                            best = Double.isNaN(best) ? v : (m == Metric.TEST_ACCURACY ? Math.max(best, v) : Math.min(best, v));
                        }
                    }
                    out.add(new Target(w.name(), m, f, best));
                }
            }
        }
        return out;
    }

    /** Derives the targets and freezes them in {@code targets.json} (never rewritten; an existing file is checked). */
    public List<Target> freezeTargets(PrintStream log) throws IOException {
        List<Target> derived = deriveTargets();
        Path f = dir.resolve(TARGETS_FILE);
        if (Files.exists(f)) {
            checkTargets();
            log.println("targets already frozen in " + f + " (sha256 " + sha(derived) + ")");
            return derived;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rule", "the best level the tuned " + spec.targets().reference() + " reached by each fraction of the budget "
                + "on the validation split; the final runs' test-set targets are the same levels (validation_* is test_* there)");
        out.put("targets", targetMaps(derived));
        out.put("sha256", sha(derived));
        AtomicFiles.writeString(f, pretty(out));
        log.println("froze " + derived.size() + " targets in " + f);
        return derived;
    }

    private static List<Object> targetMaps(List<Target> ts) {
        List<Object> list = new ArrayList<>();
        for (Target t : ts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", t.id());
            m.put("workload", t.workload());
            m.put("metric", StudySpec.metricId(t.metric()));
            m.put("fraction", t.fraction());
            m.put("value", t.value());
            list.add(m);
        }
        return list;
    }

    static String sha(List<Target> ts) {
        return Checksums.sha256(pretty(targetMaps(ts)).getBytes(StandardCharsets.UTF_8));
    }

    /** The frozen targets, checked against their hash and against the tuning runs; an error names a changed target. */
    public List<Target> checkTargets() throws IOException {
        Path f = dir.resolve(TARGETS_FILE);
        if (!Files.exists(f)) {
            throw new IllegalStateException("no frozen targets in " + f + "; run `sofim study targets` after tuning, "
                    + "before any final run");
        }
        JsonObject o = ConfigJson.strictObject(Files.readString(f));
        List<Target> derived = deriveTargets();
        Map<String, Target> byId = new LinkedHashMap<>();
        derived.forEach(t -> byId.put(t.id(), t));
        List<Target> frozen = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray("targets")) {
            JsonObject t = e.getAsJsonObject();
            String id = t.get("id").getAsString();
            Target d = byId.get(id);
            if (d == null) {
                throw new IllegalArgumentException("target " + id + " in " + f + " is not one the study defines; expected "
                        + byId.keySet());
            }
            double v = t.get("value").getAsDouble();
            if (Double.compare(v, d.value()) != 0) {
                throw new IllegalArgumentException("target " + id + " in " + f + " is " + v + ", but it was frozen at "
                        + d.value() + " (what the tuning runs give); targets are fixed before the final runs: restore it "
                        + "(or start a new study)");
            }
            frozen.add(d);
        }
        if (frozen.size() != derived.size()) {
            throw new IllegalArgumentException(f + " holds " + frozen.size() + " targets, the study defines "
                    + derived.size() + ": " + byId.keySet());
        }
        String sha = o.get("sha256").getAsString();
        if (!sha.equals(sha(frozen))) {
            throw new IllegalArgumentException(f + ": its sha256 " + sha + " does not match its targets ("
                    + sha(frozen) + "); the file was edited");
        }
        return frozen;
    }

    // ------------------------------------------------------------------ final runs

    /** The final sweeps of a workload: one per distinct seed count, each method at its tuned setting. */
    Map<Integer, Sweep> finalSweeps(StudySpec.Workload w) throws IOException {
        Map<Integer, List<StudySpec.Method>> groups = new java.util.TreeMap<>(Comparator.reverseOrder());
        for (StudySpec.Method m : spec.methods()) {
            groups.computeIfAbsent(spec.seeds(m).size(), k -> new ArrayList<>()).add(m);
        }
        Map<Integer, Sweep> out = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<StudySpec.Method>> g : groups.entrySet()) {
            List<Long> seeds = spec.seeds().subList(0, g.getKey());
            ExperimentConfig.Builder b = base(w, "final", ExperimentConfig.EvaluateOn.TEST, seeds);
            for (StudySpec.Method m : g.getValue()) {
                b.optimizer(m.name(), optimizer(m, w, tuned(w, m).settings()).rule());
            }
            out.put(g.getKey(), new Sweep(spec.name() + "-" + w.name() + "-final-" + g.getKey(), b.build(), List.of()));
        }
        return out;
    }

    Path finalDir(StudySpec.Workload w, int seeds) {
        return dir.resolve(w.name()).resolve("final").resolve("seeds-" + seeds);
    }

    /** The final runs of every workload, after checking the frozen targets. */
    public void run(SweepRunner runner, PrintStream log) throws IOException {
        checkTargets();
        for (StudySpec.Workload w : spec.workloads()) {
            for (Map.Entry<Integer, Sweep> s : finalSweeps(w).entrySet()) {
                runner.run(SweepStore.open(finalDir(w, s.getKey()), s.getValue()), log);
            }
        }
    }

    /** One final run: its method, seed and results (empty results while it has not finished). */
    public record FinalRun(String workload, String method, long seed, Optional<Results> results) {
    }

    /** Every final run of a workload, in method then seed order. */
    public List<FinalRun> finalRuns(StudySpec.Workload w) throws IOException {
        List<FinalRun> out = new ArrayList<>();
        for (Map.Entry<Integer, Sweep> s : finalSweeps(w).entrySet()) {
            Path d = finalDir(w, s.getKey());
            SweepStore store = Files.exists(d.resolve("sweep.json")) ? SweepStore.of(d) : null;
            for (Cell c : s.getValue().cells()) {
                out.add(new FinalRun(w.name(), c.optimizer(), c.seed(), store == null ? Optional.empty() : store.finishedResults(c)));
            }
        }
        out.sort(Comparator.comparingInt((FinalRun r) -> spec.methods().indexOf(spec.method(r.method())))
                .thenComparingLong(FinalRun::seed));
        return out;
    }

    // ------------------------------------------------------------------ plan

    /** What the study will run, and an estimate of its compute from a measured cost per gradient evaluation and point. */
    public String plan(double secondsPerEvaluation, double secondsPerPoint) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "study %s: %d workload(s), %d method(s), %d tuning trials per method, "
                        + "%d final seeds%n", spec.name(), spec.workloads().size(), spec.methods().size(),
                spec.tuning().trials(), spec.seeds().size()));
        long runs = 0, evals = 0, points = 0;
        long worstRuns = 0, worstEvals = 0;
        for (StudySpec.Workload w : spec.workloads()) {
            long tuneRuns = (long) spec.methods().size() * spec.tuning().trials();
            long finalRuns = spec.methods().stream().mapToLong(m -> spec.seeds(m).size()).sum();
            sb.append(String.format(Locale.ROOT, "  %s: %s %s, batch %d, %d training / %d validation images, budget %d "
                            + "gradient evaluations (%s)%n", w.name(), w.dataset().id(), w.model().name().toLowerCase(Locale.ROOT),
                    w.batchSize(), trainImages(w), w.validationSize(), w.budget(), w.budgetReason()));
            sb.append(String.format(Locale.ROOT, "    tuning: %d trials (%d methods × %d), up to %d more if the edge rule "
                    + "shifts every method; final: %d runs%n", tuneRuns, spec.methods().size(), spec.tuning().trials(),
                    tuneRuns, finalRuns));
            runs += tuneRuns + finalRuns;
            evals += (tuneRuns + finalRuns) * w.budget();
            worstRuns += 2 * tuneRuns + finalRuns;
            worstEvals += (2 * tuneRuns + finalRuns) * w.budget();
            points += (tuneRuns + finalRuns) * (ExperimentConfig.DEFAULT_EVAL_POINTS + 1L);
        }
        for (StudySpec.Method m : spec.methods()) {
            sb.append(String.format(Locale.ROOT, "  method %s (%s): space %s; fixed %s; schedule %s; %d final seeds%n",
                    m.name(), m.type(), m.space(), fixedText(m), m.schedule().type(), spec.seeds(m).size()));
        }
        double hours = (evals * secondsPerEvaluation + points * secondsPerPoint) / 3600;
        double worst = (worstEvals * secondsPerEvaluation + points * 2 * secondsPerPoint) / 3600;
        sb.append(String.format(Locale.ROOT, "runs: %d (up to %d with round 2 everywhere); gradient evaluations: %d (up to %d); "
                + "evaluation points: %d%n", runs, worstRuns, evals, worstEvals, points));
        sb.append(String.format(Locale.ROOT, "estimate: %.2f core-hours (up to %.2f), at %.4f s per gradient evaluation and "
                + "%.2f s per evaluation point measured on this machine; with --workers 2 on 2 cores about %.2f h%n",
                hours, worst, secondsPerEvaluation, secondsPerPoint, hours / 2));
        return sb.toString();
    }

    /** Steps of the calibration run of {@link #calibrate}. */
    public static final int CALIBRATION_STEPS = 40;

    /**
     * Measures, through the harness, the seconds per gradient evaluation and per evaluation point of a workload on this
     * machine: {@value #CALIBRATION_STEPS} steps of SGD with momentum after the warm-up, points at 0, 20 and 40, into a
     * temporary folder that is deleted. Returns {seconds per evaluation, seconds per point}.
     */
    public double[] calibrate(StudySpec.Workload w) throws IOException {
        ExperimentConfig c = base(w, "calibration", ExperimentConfig.EvaluateOn.VALIDATION, List.of(1L))
                .maxGradientEvaluations(CALIBRATION_STEPS).evalEvery(CALIBRATION_STEPS / 2)
                .optimizer("sgd-momentum", dev.sofim.optim.Sgd.defaults()).build();
        Path tmp = Files.createTempDirectory("sofim-calibration");
        try {
            Results r = dev.sofim.experiment.Experiment.prepare(c).run(tmp.resolve("run"));
            List<EvalPoint> pts = r.points("sgd-momentum", 1);
            EvalPoint last = pts.get(pts.size() - 1);
            double perPoint = pts.stream().mapToDouble(EvalPoint::evalSeconds).average().orElse(0);
            return new double[] {last.seconds() / last.gradientEvaluations(), perPoint};
        } finally {
            dev.sofim.data.AtomicFiles.deleteTree(tmp);
        }
    }

    private static String fixedText(StudySpec.Method m) {
        List<String> parts = new ArrayList<>();
        m.fixed().forEach((k, f) -> parts.add(k + "=" + f.value()));
        return parts.toString();
    }

    static String pretty(Object o) {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues().create()
                .toJson(o) + "\n";
    }
}
