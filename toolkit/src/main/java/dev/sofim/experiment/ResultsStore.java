package dev.sofim.experiment;

import dev.sofim.data.AtomicFiles;
import dev.sofim.data.DatasetFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A results folder, written as results come and never half-written (every file is replaced
 * atomically):
 * <pre>
 * config.json                        the experiment config; {@code sofim run <folder>/config.json} repeats it
 * run.json                           library versions, machine, seeds, dataset checksums, parameter count
 * metrics.csv                        optimizer,seed,epoch,train_loss,test_loss,test_accuracy,steps,gradient_evaluations
 *                                    (deterministic; steps and evaluations cumulative)
 * diverged.csv                       optimizer,seed,epoch,message of runs stopped by a non-finite gradient
 * timing.csv                         optimizer,seed,epoch,seconds,optimizer_seconds (wall clock: varies)
 * iterations/OPT-seedK.csv           epoch,batch,loss per minibatch (deterministic)
 * evals.csv                          optimizer,seed,step,epoch,gradient_evaluations,train_loss,test_loss,test_accuracy,
 *                                    fisher_ratio,effective_step,gradient_norm,step_cosine: one row per evaluation
 *                                    point (the config's evalEvery; train_loss on the fixed training subset; the last
 *                                    four SOFIM's {@link dev.sofim.optim.Sofim.Diagnostics}, NaN for other rules)
 *                                    (deterministic)
 * eval-timing.csv                    optimizer,seed,step,seconds,eval_seconds (wall clock: varies)
 * checkpoints/OPT-seedK-epochE.bin   the network's parameters and the optimizer's state after the last finished
 *                                    epoch (the SameDiff trainer: {@link dev.sofim.optim.dl4j.SameDiffStep#write})
 * checkpoints/OPT-seedK-epochE.zip   the same for the DL4J trainer: the network with its updater state (a Newton-type
 *                                    optimizer's state inside it, {@link dev.sofim.optim.dl4j.Dl4jOracleStep#CHECKPOINT_KEY})
 * summary.csv, plots/                written at the end
 * </pre>
 * An epoch's checkpoint is written before its metrics row and the previous checkpoint deleted after, so
 * a run killed at any moment resumes from its last finished epoch.
 */
public final class ResultsStore {
    static final String METRICS_HEADER = "optimizer,seed,epoch,train_loss,test_loss,test_accuracy,steps,gradient_evaluations";
    /** The header of results written before the step and evaluation counts (one gradient per step then). */
    static final String LEGACY_METRICS_HEADER = "optimizer,seed,epoch,train_loss,test_loss,test_accuracy";
    static final String TIMING_HEADER = "optimizer,seed,epoch,seconds,optimizer_seconds";
    static final String EVALS = "evals.csv";
    static final String EVAL_TIMING = "eval-timing.csv";

    private final Path dir;
    private final ExperimentConfig config;
    private final List<EpochRecord> records;
    private final Map<String, List<String>> iterations = new LinkedHashMap<>();
    private final List<EvalPoint> points;

    private ResultsStore(Path dir, ExperimentConfig config, List<EpochRecord> records, List<EvalPoint> points) {
        this.dir = dir;
        this.config = config;
        this.records = records;
        this.points = points;
    }

    /**
     * Opens a results folder for {@code config}: a new or empty folder is started; a folder written by
     * the same config is resumed; a folder written by another config is an error (nothing is touched).
     */
    public static ResultsStore open(Path dir, ExperimentConfig config) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException("results folder " + dir.toAbsolutePath() + " is a file; choose a folder (new or of this experiment)");
        }
        Path configFile = dir.resolve("config.json");
        String json = ConfigJson.toJson(config);
        if (Files.exists(configFile)) {
            // Compared as configs, not text: a folder written before a setting existed reads with that setting's
            // meaning then (ConfigJson), and its config.json is kept as written.
            if (!ConfigJson.read(configFile).equals(config)) {
                throw new IllegalArgumentException("results folder " + dir + " holds another experiment's results "
                        + "(its config.json differs); choose another output folder or delete it");
            }
        } else {
            Files.createDirectories(dir);
            AtomicFiles.writeString(configFile, json);
        }
        // before anything is swept or deleted: a planted link would send it outside the folder
        for (String own : List.of("checkpoints", "iterations", "plots")) {
            if (Files.exists(dir.resolve(own), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                AtomicFiles.ownFolder(dir.resolve(own));
            }
        }
        // Only one process writes a results folder: temp files here are what a killed write left behind.
        AtomicFiles.sweep(dir);
        AtomicFiles.sweep(dir.resolve("checkpoints"));
        List<EpochRecord> records = Files.exists(dir.resolve("metrics.csv")) ? Results.readRecords(dir) : new ArrayList<>();
        for (EpochRecord r : records) {
            if (!config.seeds().contains(r.seed()) || config.optimizers().stream().noneMatch(o -> o.name().equals(r.optimizer()))
                    || r.epoch() > config.epochs()) {
                throw new DatasetFormatException(dir.resolve("metrics.csv"), "a row for " + r.optimizer() + " seed " + r.seed()
                        + " epoch " + r.epoch() + ", which this folder's config (" + config.epochs() + " epochs, seeds "
                        + config.seeds() + ") does not run; the file was edited or damaged (restore it, or delete the "
                        + "results folder to run again)");
            }
        }
        ResultsStore store = new ResultsStore(dir, config, new ArrayList<>(records), Results.readPoints(dir));
        store.dropUnrecoverable();
        store.dropUnsavedPoints();
        return store;
    }

    public Path dir() {
        return dir;
    }

    public ExperimentConfig config() {
        return config;
    }

    /** The records written so far, in run order. */
    public List<EpochRecord> records() {
        return List.copyOf(records);
    }

    /** The last finished epoch of a run (0 = not started). */
    public int finishedEpochs(String optimizer, long seed) {
        return records.stream().filter(r -> r.optimizer().equals(optimizer) && r.seed() == seed)
                .mapToInt(EpochRecord::epoch).max().orElse(0);
    }

    /**
     * Whether a run has ended: all its epochs done, or its gradient-evaluation budget spent (a diverged run has ended
     * too; see {@link #divergence}).
     */
    public boolean finished(String optimizer, long seed) {
        int last = finishedEpochs(optimizer, seed);
        if (last == 0) {
            return false;
        }
        return last >= config.epochs() || (config.maxGradientEvaluations() > 0
                && record(optimizer, seed, last).gradientEvaluations() >= config.maxGradientEvaluations());
    }

    /** A run's saved evaluation points, in step order. */
    public List<EvalPoint> points(String optimizer, long seed) {
        return points.stream().filter(p -> p.optimizer().equals(optimizer) && p.seed() == seed).toList();
    }

    /** Adds evaluation points (of a finished epoch, or up to a divergence) and rewrites the two files atomically. */
    public void savePoints(List<EvalPoint> added) throws IOException {
        points.addAll(added);
        writePoints();
    }

    private void writePoints() throws IOException {
        List<EvalPoint> sorted = points.stream().sorted(Comparator.comparing(EvalPoint::optimizer)
                .thenComparingLong(EvalPoint::seed).thenComparingLong(EvalPoint::step)).toList();
        StringBuilder rows = new StringBuilder(EvalPoint.HEADER).append('\n');
        StringBuilder timing = new StringBuilder(EvalPoint.TIMING_HEADER).append('\n');
        for (EvalPoint p : sorted) {
            rows.append(p.row()).append('\n');
            timing.append(p.timingRow()).append('\n');
        }
        AtomicFiles.writeString(dir.resolve(EVAL_TIMING), timing.toString());
        AtomicFiles.writeString(dir.resolve(EVALS), rows.toString());
    }

    /**
     * Evaluation points past a run's last saved epoch (a run killed mid-epoch) are recomputed when it resumes, with the
     * same numbers: they are dropped here; a diverged run keeps its points.
     */
    private void dropUnsavedPoints() throws IOException {
        List<Divergence> diverged = Results.readDivergences(dir);
        int before = points.size();
        points.removeIf(p -> {
            if (diverged.stream().anyMatch(d -> d.optimizer().equals(p.optimizer()) && d.seed() == p.seed())) {
                return false;
            }
            int last = finishedEpochs(p.optimizer(), p.seed());
            return last == 0 || p.step() > record(p.optimizer(), p.seed(), last).steps();
        });
        if (points.size() != before) {
            writePoints();
        }
    }

    /** The record of a run's epoch; only for finished epochs. */
    public EpochRecord record(String optimizer, long seed, int epoch) {
        return records.stream().filter(r -> r.optimizer().equals(optimizer) && r.seed() == seed && r.epoch() == epoch)
                .findFirst().orElseThrow();
    }

    /** The checkpoint file of a run after {@code epoch} (it exists for the last finished epoch of an unfinished run). */
    public Path checkpointFile(String optimizer, long seed, int epoch) {
        return checkpoint(optimizer, seed, epoch);
    }

    /** The first minibatch loss of a run (epoch 1, batch 1), from its iterations file. */
    public double firstLoss(String optimizer, long seed) throws IOException {
        List<String> lines = iterationLines(optimizer, seed);
        if (lines.isEmpty()) {
            throw new IllegalStateException("run " + optimizer + " seed " + seed + " has no minibatch losses in "
                    + iterationsFile(optimizer, seed));
        }
        String[] f = lines.get(0).split(",");
        return Double.parseDouble(f[2]);
    }

    /** Writes a checkpoint into a (temporary) file. */
    @FunctionalInterface
    public interface CheckpointWriter {
        void write(Path file) throws IOException;
    }

    /**
     * Saves a finished epoch: the checkpoint (the network and its optimizer's state, written by {@code checkpoint} into a
     * temporary file, then moved into place), then the iteration losses, timing and metrics rows; then the previous
     * checkpoint is deleted.
     */
    public void saveEpoch(EpochRecord r, CheckpointWriter checkpoint, List<Double> batchLosses) throws IOException {
        saveEpoch(r, checkpoint, batchLosses, List.of());
    }

    /** {@link #saveEpoch(EpochRecord, CheckpointWriter, List)} with the epoch's evaluation points (written before its metrics row). */
    public void saveEpoch(EpochRecord r, CheckpointWriter checkpoint, List<Double> batchLosses, List<EvalPoint> epochPoints)
            throws IOException {
        Path cp = checkpoint(r.optimizer(), r.seed(), r.epoch());
        AtomicFiles.ownFolder(cp.getParent());
        Path tmp = AtomicFiles.tempFileFor(cp, AtomicFiles.TEMP_SUFFIX);
        try {
            try {
                checkpoint.write(tmp);
            } catch (IOException e) {
                throw new IOException("cannot write the checkpoint " + cp + " (" + e.getClass().getSimpleName() + ": "
                        + e.getMessage() + "); the run resumes from its previous epoch once the cause (a full disk?) is "
                        + "fixed", e);
            }
            // the seal first: a kill between the two moves leaves a sealed epoch whose metrics row is not yet written,
            // which a resume ignores (it resumes from the previous epoch's checkpoint)
            AtomicFiles.writeString(seal(cp), sealJson(r.optimizer(), r.seed(), r.epoch(), tmp));
            AtomicFiles.move(tmp, cp);
        } finally {
            Files.deleteIfExists(tmp);
        }
        List<String> lines = iterationLines(r.optimizer(), r.seed());
        for (int b = 0; b < batchLosses.size(); b++) {
            lines.add(r.epoch() + "," + (b + 1) + "," + batchLosses.get(b));
        }
        AtomicFiles.writeString(iterationsFile(r.optimizer(), r.seed()), "epoch,batch,loss\n" + String.join("\n", lines) + "\n");
        if (!epochPoints.isEmpty()) {
            savePoints(epochPoints);
        }
        records.add(r);
        AtomicFiles.writeString(dir.resolve("timing.csv"), csv(TIMING_HEADER, records, ResultsStore::timingRow));
        AtomicFiles.writeString(dir.resolve("metrics.csv"), csv(METRICS_HEADER, records, ResultsStore::metricsRow));
        if (r.epoch() > 1) {
            Path previous = checkpoint(r.optimizer(), r.seed(), r.epoch() - 1);
            Files.deleteIfExists(previous);
            Files.deleteIfExists(seal(previous));
        }
    }

    /** The seal of a checkpoint: its run, epoch, rule and SHA-256, checked before a resume reads it. */
    static Path seal(Path checkpoint) {
        return checkpoint.resolveSibling(checkpoint.getFileName() + ".json");
    }

    /** What a seal says of a run's checkpoint file besides its digest: run, epoch, trainer, rule and size. */
    private Map<String, Object> sealFields(String optimizer, long seed, int epoch, Path file) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("optimizer", optimizer);
        m.put("seed", seed);
        m.put("epoch", epoch);
        m.put("trainer", config.trainer().name().toLowerCase(Locale.ROOT));
        m.put("rule", String.valueOf(config.optimizer(optimizer).rule()));
        m.put("bytes", Files.size(file));
        return m;
    }

    private String sealJson(String optimizer, long seed, int epoch, Path file) throws IOException {
        Map<String, Object> m = sealFields(optimizer, seed, epoch, file);
        m.put("sha256", dev.sofim.data.Checksums.sha256(file));
        return new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(m) + "\n";
    }

    /**
     * Why the checkpoint of a run after {@code epoch} cannot be resumed from (missing, unsealed, damaged, or another
     * run's, epoch's, rule's or trainer's), or null if it can.
     */
    String checkpointProblem(String optimizer, long seed, int epoch) throws IOException {
        Path cp = checkpoint(optimizer, seed, epoch);
        Path seal = seal(cp);
        if (!Files.exists(cp, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return "its checkpoint " + cp + " is missing";
        }
        if (!Files.isRegularFile(cp, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return "its checkpoint " + cp + " is not a regular file (links are not followed)";
        }
        if (!Files.isRegularFile(seal, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return "its checkpoint " + cp + " has no seal " + seal.getFileName() + " (written by an older toolkit, or copied alone)";
        }
        com.google.gson.JsonObject o;
        try {
            o = ConfigJson.strictObject(Files.readString(seal));
        } catch (IllegalArgumentException | java.nio.charset.MalformedInputException e) {
            return "its seal " + seal + " is damaged (" + e.getMessage() + ")";
        }
        for (Map.Entry<String, Object> w : sealFields(optimizer, seed, epoch, cp).entrySet()) {
            String got = o.has(w.getKey()) && o.get(w.getKey()).isJsonPrimitive() ? o.get(w.getKey()).getAsString() : null;
            if (!String.valueOf(w.getValue()).equals(got)) {
                return "its checkpoint " + cp + " is not this run's: its seal says " + w.getKey() + " " + got + ", this run's is "
                        + w.getValue();
            }
        }
        String sha = dev.sofim.data.Checksums.sha256(cp);
        String sealed = o.has("sha256") ? o.get("sha256").getAsString() : "";
        if (!sha.equals(sealed)) {
            return "its checkpoint " + cp + " is damaged (SHA-256 " + sha + ", sealed " + sealed + ")";
        }
        return null;
    }

    /** The divergence of a run, if it diverged. */
    public java.util.Optional<Divergence> divergence(String optimizer, long seed) throws IOException {
        return Results.readDivergences(dir).stream().filter(d -> d.optimizer().equals(optimizer) && d.seed() == seed)
                .findFirst();
    }

    /** Records that a run diverged; it is not retried on resume (it would diverge again). */
    public void saveDivergence(Divergence d) throws IOException {
        List<Divergence> all = new ArrayList<>(Results.readDivergences(dir));
        all.add(d);
        StringBuilder sb = new StringBuilder(Results.DIVERGED_HEADER).append('\n');
        for (Divergence x : all) {
            sb.append(x.optimizer()).append(',').append(x.seed()).append(',').append(x.epoch()).append(',')
                    .append(x.message().replace(',', ';').replace('\n', ' ')).append('\n');
        }
        AtomicFiles.writeString(dir.resolve("diverged.csv"), sb.toString());
    }

    /** Writes a text file of the results folder atomically. */
    public void writeFile(String name, String text) throws IOException {
        AtomicFiles.writeString(dir.resolve(name), text);
    }

    Path checkpoint(String optimizer, long seed, int epoch) {
        return dir.resolve("checkpoints").resolve(optimizer + "-seed" + seed + "-epoch" + epoch
                + Learner.checkpointExtension(config.trainer()));
    }

    private Path iterationsFile(String optimizer, long seed) {
        return dir.resolve("iterations").resolve(optimizer + "-seed" + seed + ".csv");
    }

    private List<String> iterationLines(String optimizer, long seed) throws IOException {
        String key = optimizer + "-seed" + seed;
        List<String> lines = iterations.get(key);
        if (lines == null) {
            lines = new ArrayList<>();
            int finished = finishedEpochs(optimizer, seed);
            Path f = iterationsFile(optimizer, seed);
            if (Files.exists(f)) {
                try (Stream<String> s = Files.lines(f).skip(1)) {
                    s.filter(l -> !l.isBlank() && Integer.parseInt(l.substring(0, l.indexOf(','))) <= finished)
                            .forEach(lines::add);
                }
            }
            iterations.put(key, lines);
        }
        return lines;
    }

    /**
     * Unfinished runs that cannot resume from their last checkpoint (missing, unsealed, damaged, or another run's)
     * restart from scratch, with a warning naming the file and the reason: their rows are dropped, and the same seed
     * gives the same numbers again. A damaged file is kept beside as {@code .damaged}. Checkpoints of other epochs (what
     * a kill between a metrics row and the deletion left) are deleted. Finished and diverged runs need no checkpoint
     * (results folders are shared without them) and are kept.
     */
    private void dropUnrecoverable() throws IOException {
        Path cps = dir.resolve("checkpoints");
        List<String> lost = new ArrayList<>();
        List<Divergence> diverged = Results.readDivergences(dir);
        java.util.Set<Path> keep = new java.util.HashSet<>();
        for (OptimizerSpec o : config.optimizers()) {
            for (long seed : config.seeds()) {
                int last = finishedEpochs(o.name(), seed);
                boolean ended = finished(o.name(), seed) || diverged.stream()
                        .anyMatch(d -> d.optimizer().equals(o.name()) && d.seed() == seed);
                if (last == 0 && Files.exists(iterationsFile(o.name(), seed))) {
                    System.getLogger("dev.sofim.experiment").log(System.Logger.Level.WARNING, "results folder " + dir
                            + ": run " + o.name() + " seed " + seed + " has minibatch losses in " + iterationsFile(o.name(), seed)
                            + " but no row in metrics.csv; it restarts from epoch 1 (the same seed gives the same numbers)");
                }
                Path cp = checkpoint(o.name(), seed, last);
                if (ended) {
                    keep.add(cp);   // a finished run's trained network stays (users load it)
                    keep.add(seal(cp));
                }
                if (last == 0 || ended) {
                    continue;
                }
                String problem = checkpointProblem(o.name(), seed, last);
                if (problem == null) {
                    keep.add(cp);
                    keep.add(seal(cp));
                    continue;
                }
                System.getLogger("dev.sofim.experiment").log(System.Logger.Level.WARNING, "results folder " + dir + ": run "
                        + o.name() + " seed " + seed + " cannot resume after epoch " + last + ": " + problem
                        + "; it restarts from epoch 1 (the same seed gives the same numbers)");
                if (Files.isRegularFile(cp, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    AtomicFiles.move(cp, cp.resolveSibling(cp.getFileName() + ".damaged"));
                }
                lost.add(o.name() + "-seed" + seed);
            }
        }
        if (Files.isDirectory(cps)) {
            try (Stream<Path> s = Files.list(cps)) {
                for (Path p : s.toList()) {
                    String n = p.getFileName().toString();
                    boolean ours = n.endsWith(Learner.checkpointExtension(config.trainer()))
                            || n.endsWith(Learner.checkpointExtension(config.trainer()) + ".json");
                    if (ours && !keep.contains(p) && !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.delete(p);   // a link is deleted itself, never its target
                    }
                }
            }
        }
        if (!lost.isEmpty()) {
            records.removeIf(r -> lost.contains(r.optimizer() + "-seed" + r.seed()));
            AtomicFiles.writeString(dir.resolve("timing.csv"), csv(TIMING_HEADER, records, ResultsStore::timingRow));
            AtomicFiles.writeString(dir.resolve("metrics.csv"), csv(METRICS_HEADER, records, ResultsStore::metricsRow));
        }
    }

    private static String csv(String header, List<EpochRecord> rows, java.util.function.Function<EpochRecord, String> f) {
        StringBuilder sb = new StringBuilder(header).append('\n');
        rows.stream().sorted(Comparator.comparing(EpochRecord::optimizer).thenComparingLong(EpochRecord::seed)
                .thenComparingInt(EpochRecord::epoch)).forEach(r -> sb.append(f.apply(r)).append('\n'));
        return sb.toString();
    }

    static String metricsRow(EpochRecord r) {
        return r.optimizer() + "," + r.seed() + "," + r.epoch() + "," + r.trainLoss() + "," + r.testLoss() + ","
                + r.testAccuracy() + "," + r.steps() + "," + r.gradientEvaluations();
    }

    static String timingRow(EpochRecord r) {
        return String.format(Locale.ROOT, "%s,%d,%d,%.6f,%.6f", r.optimizer(), r.seed(), r.epoch(), r.seconds(),
                r.optimizerSeconds());
    }
}
