package dev.sofim.experiment;

import dev.sofim.data.Datasets;
import dev.sofim.data.ImageSet;
import dev.sofim.data.Split;
import dev.sofim.optim.NonFiniteGradientException;
import dev.sofim.optim.OracleRule;
import dev.sofim.optim.dl4j.Dl4jOracleStep;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains every (optimizer, seed) pair of an {@link ExperimentConfig} on its dataset and model and
 * writes the results as they come ({@link ResultsStore}).
 *
 * <p>Fairness: for a seed, every optimizer starts from the same initial weights and sees the same
 * minibatches in the same order ({@link Batches#epoch}). Per epoch it records the train loss (a full
 * pass over the training set when {@code fullTrainLoss}, else the size-weighted mean of the epoch's
 * minibatch losses), the held-out loss and accuracy (on the test set, or on the validation split when
 * the config says {@code evaluateOn: validation}; see {@link #heldOut}), the training wall time (evaluation excluded,
 * a Newton-type method's extra gradient evaluations included) and the updater's share of it, the steps and the
 * gradient evaluations so far; per minibatch, the loss. The config's {@link Trainer} runs the steps: by default the
 * toolkit's own step on the model as a SameDiff graph ({@link dev.sofim.optim.dl4j.SameDiffStep}, every rule, the
 * Newton-type ones with a gradient oracle on the same graph); or DL4J's {@code fit} with the rule as its updater, and
 * {@link Dl4jOracleStep} for Newton-type rules ({@link OracleRule}). The optimizer's state is saved in the checkpoint.
 *
 * <p>Resume: running again into the same folder continues every run from its last finished epoch and
 * ends with the same numbers as an uninterrupted run. Determinism: the same config gives identical
 * metrics.csv and iterations files on the same machine and ND4J build, whatever its number of cores: ND4J computes on
 * one native thread while an experiment runs ({@link ComputeThreads}); the timing differs.
 */
public final class Experiment {
    private final ExperimentConfig config;
    private final Split data;
    private final int warmUpSteps;

    private Experiment(ExperimentConfig config, Split data) {
        this(config, data, WARM_UP_STEPS);
    }

    private Experiment(ExperimentConfig config, Split data, int warmUpSteps) {
        if (config.batchSize() > data.train().size()) {
            throw new IllegalArgumentException("batchSize " + config.batchSize() + " exceeds the " + data.train().size()
                    + " training images of " + config.dataset() + "; use a batchSize up to " + data.train().size()
                    + " (or more training images)");
        }
        if (config.trainEvalSize() > data.train().size()) {
            throw new IllegalArgumentException("trainEvalSize " + config.trainEvalSize() + " exceeds the "
                    + data.train().size() + " training images of " + config.dataset() + "; use up to "
                    + data.train().size() + " (0: up to " + ExperimentConfig.DEFAULT_TRAIN_EVAL_SIZE + ")");
        }
        this.config = config;
        this.data = data;
        this.warmUpSteps = warmUpSteps;
    }

    /** Loads and prepares the config's dataset (found and verified in the toolkit's resolution order). */
    public static Experiment prepare(ExperimentConfig config) throws IOException {
        Path dir = config.dataDir() == null ? null : Path.of(config.dataDir());
        return new Experiment(config, Datasets.load(config.dataset(), dir, config.data()));
    }

    /** Uses already-loaded data (the caller is responsible that it matches the config). */
    public static Experiment of(ExperimentConfig config, Split data) {
        return new Experiment(config, data);
    }

    public ExperimentConfig config() {
        return config;
    }

    public Split data() {
        return data;
    }

    /** The images the per-epoch held-out metrics come from: the test set, or for tuning the validation split. */
    public dev.sofim.data.ImageSet heldOut() {
        return switch (config.evaluateOn()) {
            case TEST -> data.test();
            case VALIDATION -> {
                if (data.validation() == null) {
                    throw new IllegalStateException("config " + config.name() + " evaluates on the validation split, "
                            + "but the data has none (data.validationSize = " + config.data().validationSize() + ")");
                }
                yield data.validation();
            }
        };
    }

    /**
     * A freshly initialized DL4J network of the config's model for this optimizer and seed (the {@link Trainer#DL4J}
     * trainer's network). A first-order rule is the network's DL4J updater; a Newton-type rule runs in
     * {@link Dl4jOracleStep}, and the network carries {@link #ORACLE_MODEL_UPDATER}, which that step never calls.
     */
    public Model newModel(OptimizerSpec optimizer, long seed) {
        return Learner.dl4jModel(config.model(), data.train(), optimizer, seed);
    }

    /** The DL4J updater config of networks trained by an oracle rule: plain SGD with rate 0 (never applied). */
    public static final org.nd4j.linalg.learning.config.IUpdater ORACLE_MODEL_UPDATER =
            new org.nd4j.linalg.learning.config.Sgd(0.0);

    /**
     * The standard results folder of a config: {@code <root>/<name>-<hash of the config>}, with root
     * from the environment variable SOFIM_RESULTS_DIR (default {@code results}). Changing any knob gives
     * a new folder; running the same config again reuses (resumes) its folder.
     */
    public static Path resultsFolder(ExperimentConfig config) {
        return resultsFolder(config.name(), ConfigJson.toJson(config));
    }

    /** {@code <results root>/<name>-<the first 10 hex digits of the SHA-256 of json>}: one folder per exact definition. */
    public static Path resultsFolder(String name, String json) {
        String hash = dev.sofim.data.Checksums.sha256(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 10);
        return resultsRoot().resolve(name + "-" + hash);
    }

    /** Where results folders go: {@code $SOFIM_RESULTS_DIR}, or {@code results} in the working folder. */
    public static Path resultsRoot() {
        return Path.of(System.getenv().getOrDefault("SOFIM_RESULTS_DIR", "results"));
    }

    /** Where a config's results are, and what its {@code run.json} records (library versions, machine, checksums). */
    public static String provenance(ExperimentConfig config) throws IOException {
        Path folder = resultsFolder(config);
        Path run = folder.resolve("run.json");
        return "results: " + folder.toAbsolutePath() + "\n" + (Files.exists(run) ? Files.readString(run)
                : "(no run.json yet: nothing has run)");
    }

    /** Runs everything not yet in {@code outDir} and returns all results. */
    public Results run(Path outDir, ExperimentListener... listeners) throws IOException {
        return run(outDir, Integer.MAX_VALUE, listeners);
    }

    /**
     * Like {@link #run(Path, ExperimentListener...)}, but every run stops after epoch {@code stopAfter}
     * (as if killed there); running again resumes.
     */
    public Results run(Path outDir, int stopAfter, ExperimentListener... listeners) throws IOException {
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new IOException("results folder " + outDir.toAbsolutePath() + " is a file; choose a folder (new or of this experiment)");
        }
        ComputeThreads.pin(); // on the thread that trains, every time: OpenMP counts threads per thread
        // counted on a network with a stateless rule: the config's own rules would allocate the state being checked
        long parameters = Learner.create(config, data.train(), new OptimizerSpec("count", dev.sofim.optim.Sgd.defaults()),
                config.seeds().get(0)).parameters();
        checkStateFits(parameters, Runtime.getRuntime().maxMemory());
        try (dev.sofim.data.FolderLock lock = dev.sofim.data.FolderLock.acquire(outDir, "results folder")) {
            return runLocked(outDir, stopAfter, parameters, listeners);
        } finally {
            NativeMemory.release(); // the run's networks are garbage now: an idle kernel gives their buffers back
        }
    }

    private Results runLocked(Path outDir, int stopAfter, long parameters, ExperimentListener... listeners) throws IOException {
        ResultsStore store = ResultsStore.open(outDir, config);
        if (!Files.exists(outDir.resolve("run.json"))) {
            store.writeFile("run.json", RunInfo.json(config, data.checksums(), parameters,
                    System.getenv()));
        }
        DataSet test = Batches.all(heldOut());
        DataSet train = config.fullTrainLoss() ? Batches.all(data.train()) : null;
        DataSet trainSubset = Batches.all(trainEvalSubset());
        warmUp(store, test);
        Map<Long, INDArray> initial = new HashMap<>();
        for (OptimizerSpec opt : config.optimizers()) {
            for (long seed : config.seeds()) {
                runOne(store, opt, seed, initial, test, train, trainSubset, stopAfter, listeners);
            }
        }
        return new Results(config, store.records(), Results.readDivergences(outDir), Results.readPoints(outDir));
    }

    /** The share of the heap an optimizer's state may take; the network, data and evaluation need the rest. */
    public static final double STATE_HEAP_SHARE = 0.5;

    /**
     * Refuses, before anything is written, an optimizer whose state for {@code parameters} numbers (8 bytes each, its
     * {@code statePerParameter}) would not fit in {@value #STATE_HEAP_SHARE} of {@code heapBytes}: an L-BFGS history or
     * a Nyström rank sized by mistake fails here with the setting named, not with an OutOfMemoryError mid-run.
     */
    public void checkStateFits(long parameters, long heapBytes) {
        for (OptimizerSpec o : config.optimizers()) {
            double bytes = o.rule().statePerParameter() * parameters * 8.0;
            if (bytes > STATE_HEAP_SHARE * heapBytes || bytes / 8 > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "optimizer '%s' (%s) needs %.1f GB "
                                + "of state for the %d parameters of %s (%.0f numbers per parameter), more than %.0f%% of "
                                + "the %.1f GB heap%s; make its memory setting (L-BFGS history, Nyström rank) smaller, or "
                                + "give java a larger -Xmx", o.name(), o.rule(), bytes / 1e9, parameters,
                        config.model().name().toLowerCase(java.util.Locale.ROOT), o.rule().statePerParameter(),
                        100 * STATE_HEAP_SHARE, heapBytes / 1e9, bytes / 8 > Integer.MAX_VALUE - 8
                                ? " (and more numbers than one Java array holds)" : ""));
            }
        }
    }

    /** Steps of the throwaway run per optimizer before any run's clock starts ({@link #withWarmUp}). */
    public static final int WARM_UP_STEPS = 10;

    /**
     * This experiment with {@code steps} throwaway steps per optimizer (0: none) before any run's clock starts, so that
     * the JVM's compilation and oneDNN's kernel setup are not charged to the first run. The throwaway network is a
     * separate copy: the results do not depend on it (a test checks it).
     */
    public Experiment withWarmUp(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("warm-up steps must be >= 0, got " + steps);
        }
        return new Experiment(config, data, steps);
    }

    /** The fixed training subset of the evaluation points' training loss: the first images of the training split. */
    public ImageSet trainEvalSubset() {
        int n = config.trainEvalSize() == 0 ? Math.min(data.train().size(), ExperimentConfig.DEFAULT_TRAIN_EVAL_SIZE)
                : config.trainEvalSize();
        return data.train().head(n);
    }

    /** Trains and evaluates a throwaway network per optimizer that has a run to do; nothing is stored. */
    private void warmUp(ResultsStore store, DataSet test) throws IOException {
        if (warmUpSteps == 0) {
            return;
        }
        long seed = config.seeds().get(0);
        DataSet probe = Batches.all(heldOut().head(Math.min(heldOut().size(), 256)));
        for (OptimizerSpec opt : config.optimizers()) {
            boolean todo = false;
            for (long s : config.seeds()) {
                todo |= !store.finished(opt.name(), s) && store.divergence(opt.name(), s).isEmpty();
            }
            if (!todo) {
                continue;
            }
            Learner throwaway = Learner.create(config, data.train(), opt, seed);
            List<DataSet> batches = Batches.epoch(data.train(), config.batchSize(), seed, 1);
            try {
                for (int b = 0; b < Math.min(warmUpSteps, batches.size()); b++) {
                    throwaway.fit(batches.get(b));
                }
            } catch (NonFiniteGradientException e) {
                // the real run will record it
            }
            score(throwaway, probe);
        }
    }

    /**
     * A fresh network for a run. Every optimizer of a seed starts from the same weights: a SameDiff graph's are a
     * function of the seed alone; a DL4J network's are those of the first network made for the seed.
     */
    private Learner fresh(OptimizerSpec opt, long seed, Map<Long, INDArray> initial) {
        Learner l = Learner.create(config, data.train(), opt, seed);
        if (l instanceof Learner.Dl4j d) {
            d.setParams(initial.computeIfAbsent(seed, s -> d.params().dup()));
        }
        return l;
    }

    /**
     * Whether an evaluation point is due after a step that took the run from {@code before} to {@code after} gradient
     * evaluations and to {@code steps} steps: every {@code evalEvery} steps, or (0) each time the evaluations cross one
     * of {@value ExperimentConfig#DEFAULT_EVAL_POINTS} even marks over the budget. A function of the counters alone, so a
     * resumed run takes the same points.
     */
    static boolean pointDue(ExperimentConfig config, long budget, long steps, long before, long after) {
        if (config.evalEvery() > 0) {
            return steps % config.evalEvery() == 0;
        }
        int p = ExperimentConfig.DEFAULT_EVAL_POINTS;
        return Math.floorDiv(after * p, budget) > Math.floorDiv(before * p, budget);
    }

    /** A learner's scores on {@code data}, in its model's evaluation chunks (what bounds an evaluation's memory). */
    private Scores score(Learner learner, DataSet data) {
        return Scores.of(learner::output, data, config.model().evaluationChunk());
    }

    private EvalPoint point(Learner learner, OptimizerSpec opt, long seed, long steps, int epoch, long evaluations,
                            double seconds, DataSet test, DataSet trainSubset) {
        long start = System.nanoTime();
        Scores held = score(learner, test);
        Scores train = score(learner, trainSubset);
        return new EvalPoint(opt.name(), seed, steps, epoch, evaluations, train.loss(), held.loss(), held.accuracy(),
                steps == 0 ? dev.sofim.optim.Sofim.Diagnostics.NONE : learner.diagnostics(), seconds,
                (System.nanoTime() - start) / 1e9);
    }

    private void runOne(ResultsStore store, OptimizerSpec opt, long seed, Map<Long, INDArray> initial, DataSet test,
                        DataSet train, DataSet trainSubset, int stopAfter, ExperimentListener[] listeners) throws IOException {
        int done = store.finishedEpochs(opt.name(), seed);
        int batches = config.stepsPerEpoch(data.train().size());
        long budget = config.budget(data.train().size());
        for (ExperimentListener l : listeners) {
            l.runStarted(opt.name(), seed, done + 1, config.epochs(), batches);
            for (int e = 1; e <= done; e++) {
                l.epochFinished(store.record(opt.name(), seed, e));
            }
            for (EvalPoint p : store.points(opt.name(), seed)) {
                l.pointEvaluated(p);
            }
        }
        var diverged = store.divergence(opt.name(), seed);
        if (diverged.isPresent()) {
            for (ExperimentListener l : listeners) {
                l.runDiverged(diverged.get());
            }
            return;
        }
        if (store.finished(opt.name(), seed)) {
            return;
        }
        Learner learner;
        double seconds = 0;
        double optimizerSeconds = 0;
        long steps = 0;
        long evaluations = 0;
        List<EvalPoint> points = new ArrayList<>();
        if (done > 0) {
            learner = Learner.restore(config, data.train(), opt, seed, store.checkpointFile(opt.name(), seed, done));
            EpochRecord last = store.record(opt.name(), seed, done);
            seconds = last.seconds();
            optimizerSeconds = last.optimizerSeconds();
            steps = last.steps();
            evaluations = last.gradientEvaluations();
        } else {
            learner = fresh(opt, seed, initial);
            points.add(point(learner, opt, seed, 0, 0, 0, 0, test, trainSubset));
        }
        double firstLoss = done > 0 ? store.firstLoss(opt.name(), seed) : Double.NaN;
        boolean spent = false;
        for (int epoch = done + 1; epoch <= Math.min(config.epochs(), stopAfter) && !spent; epoch++) {
            learner.epochsDone(epoch - 1);
            List<DataSet> minibatches = Batches.epoch(data.train(), config.batchSize(), seed, epoch);
            List<Double> losses = new ArrayList<>(minibatches.size());
            double weightedLoss = 0;
            int examples = 0;
            double optimizerBefore = learner.optimizerSeconds();
            EvalPoint last = null;
            long clock = System.nanoTime();
            for (int b = 0; b < minibatches.size(); b++) {
                DataSet mb = minibatches.get(b);
                double loss;
                long before = evaluations;
                try {
                    loss = learner.fit(mb);
                } catch (NonFiniteGradientException e) {
                    Divergence d = new Divergence(opt.name(), seed, epoch, e.getMessage());
                    store.savePoints(points);
                    store.saveDivergence(d);
                    for (ExperimentListener l : listeners) {
                        l.runDiverged(d);
                    }
                    return;
                }
                steps++;
                evaluations = learner.evaluations(evaluations);
                losses.add(loss);
                weightedLoss += loss * mb.numExamples();
                examples += mb.numExamples();
                for (ExperimentListener l : listeners) {
                    l.iteration(opt.name(), seed, epoch, b + 1, loss);
                }
                spent = config.maxGradientEvaluations() > 0 && evaluations >= config.maxGradientEvaluations();
                boolean end = spent || (epoch == config.epochs() && b == minibatches.size() - 1);
                if (end || pointDue(config, budget, steps, before, evaluations)) {
                    seconds += (System.nanoTime() - clock) / 1e9;
                    last = point(learner, opt, seed, steps, epoch, evaluations, seconds, test, trainSubset);
                    points.add(last);
                    for (ExperimentListener l : listeners) {
                        l.pointEvaluated(last);
                    }
                    clock = System.nanoTime();
                }
                if (spent) {
                    break;
                }
            }
            seconds += (System.nanoTime() - clock) / 1e9;
            optimizerSeconds += learner.optimizerSeconds() - optimizerBefore;
            if (epoch == 1 && !losses.isEmpty()) {
                firstLoss = losses.get(0);
            }
            learner.epochsDone(epoch);
            long stepsNow = steps;
            Scores testScores = last != null && last.step() == stepsNow ? new Scores(last.testLoss(), last.testAccuracy())
                    : score(learner, test);
            double meanLoss = weightedLoss / examples;
            double trainLoss = train != null ? score(learner, train).loss() : meanLoss;
            EpochRecord r = new EpochRecord(opt.name(), seed, epoch, trainLoss, testScores.loss(),
                    testScores.accuracy(), seconds, optimizerSeconds, steps, evaluations);
            store.saveEpoch(r, learner::save, losses, points);
            points = new ArrayList<>();
            for (ExperimentListener l : listeners) {
                l.epochFinished(r);
            }
            if (config.divergenceFactor() > 0 && meanLoss > config.divergenceFactor() * firstLoss) {
                Divergence d = new Divergence(opt.name(), seed, epoch, String.format(java.util.Locale.ROOT,
                        "loss exploded: the epoch's mean minibatch loss %.4g is above %s× the run's first minibatch loss %.4g "
                                + "(the config's divergenceFactor)", meanLoss, config.divergenceFactor(), firstLoss));
                store.saveDivergence(d);
                for (ExperimentListener l : listeners) {
                    l.runDiverged(d);
                }
                return;
            }
        }
        if (store.finished(opt.name(), seed)) {
            for (ExperimentListener l : listeners) {
                l.runFinished(opt.name(), seed);
            }
        }
    }
}
