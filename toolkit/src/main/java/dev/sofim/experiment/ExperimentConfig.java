package dev.sofim.experiment;

import dev.sofim.data.DataOptions;
import dev.sofim.data.Dataset;
import dev.sofim.models.ModelKind;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything that defines an experiment; saved with its results, so a run can be repeated exactly.
 *
 * @param name           results folder name and plot titles
 * @param dataset        the benchmark dataset
 * @param dataDir        an explicit dataset folder, or null for the toolkit's resolution order
 * @param data           subset sizes, validation split, normalization
 * @param model          logistic, mlp, lenet or resnet
 * @param epochs         epochs per run
 * @param batchSize      minibatch size
 * @param seeds          one run per seed and optimizer; the seed fixes initial weights and data order
 * @param optimizers     the optimizers compared
 * @param targets        time-to-target objectives
 * @param fullTrainLoss  true: train loss by a full pass after each epoch; false: running mean of the epoch's minibatch losses
 * @param evaluateOn     which held-out set the per-epoch loss and accuracy (the "test" columns) come from:
 *                       the test set, or, for tuning, the validation split carved from the training set
 * @param divergenceFactor a run whose mean minibatch loss over an epoch exceeds this multiple of its first minibatch
 *                       loss is stopped and recorded as diverged, like one with a non-finite gradient (0 turns the rule
 *                       off; default {@value #DEFAULT_DIVERGENCE_FACTOR})
 * @param trainer        who runs the training step: the toolkit on SameDiff graphs (default) or DL4J's networks
 * @param evalEvery      steps between evaluation points (the held-out metrics and the training loss on a fixed subset,
 *                       at the current parameters); 0 (default): {@value #DEFAULT_EVAL_POINTS} points evenly spaced in
 *                       gradient evaluations over the budget; points are also taken before the first step and after
 *                       the last
 * @param trainEvalSize  the training images (the first of the training split) the evaluation points' training loss is
 *                       computed on; 0 (default): min(training images, {@value #DEFAULT_TRAIN_EVAL_SIZE})
 * @param maxGradientEvaluations a budget: a run ends at the step where its gradient evaluations reach it (0, the
 *                       default: no budget, only {@code epochs}); how a study gives a Newton-type method, whose step
 *                       costs several evaluations, the same compute as a first-order one
 */
public record ExperimentConfig(String name, Dataset dataset, String dataDir, DataOptions data, ModelKind model,
                               int epochs, int batchSize, List<Long> seeds, List<OptimizerSpec> optimizers,
                               Targets targets, boolean fullTrainLoss, EvaluateOn evaluateOn, double divergenceFactor,
                               Trainer trainer, int evalEvery, int trainEvalSize, long maxGradientEvaluations) {

    /** Evaluation points per run when {@code evalEvery} is 0. */
    public static final int DEFAULT_EVAL_POINTS = 40;
    /** The fixed training subset of the evaluation points' training loss, when {@code trainEvalSize} is 0. */
    public static final int DEFAULT_TRAIN_EVAL_SIZE = 5000;

    /** Loss explosion rule: 5× the first minibatch loss (ln 10 ≈ 2.3 → 11.5 for ten classes). */
    public static final double DEFAULT_DIVERGENCE_FACTOR = 5;

    /** Where held-out metrics come from. */
    public enum EvaluateOn {
        /** The official test set: for reporting. */
        TEST,
        /** The validation split ({@code data.validationSize} images carved from the training set): for tuning; the test set is not touched. */
        VALIDATION
    }

    /** The environment knobs that shrink a run without another config (read by {@link #withEnvironment}). */
    public static final List<String> KNOBS = List.of("SOFIM_EPOCHS", "SOFIM_TRAIN_SIZE", "SOFIM_TEST_SIZE",
            "SOFIM_SEEDS", "SOFIM_BATCH_SIZE");

    public ExperimentConfig {
        Names.check("name", name);
        if (dataset == null) {
            throw new IllegalArgumentException("dataset must be one of " + Dataset.ids() + ", got null");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (data != null && dataset != null) {
            // checked here, so that a sweep's plan refuses a cell before any cell runs
            int images = data.trainSize() > 0 ? data.trainSize() : dataset.trainImages() - data.validationSize();
            if (data.trainSize() + data.validationSize() > dataset.trainImages()) {
                throw new IllegalArgumentException("trainSize " + data.trainSize() + " plus validationSize "
                        + data.validationSize() + " exceed the " + dataset.trainImages() + " images of " + dataset.title()
                        + "'s training set");
            }
            if (batchSize > images) {
                throw new IllegalArgumentException("batchSize " + batchSize + " exceeds the " + images
                        + " training images; expected at most " + images);
            }
        }
        if (seeds == null || seeds.isEmpty()) {
            throw new IllegalArgumentException("seeds must list at least one seed, got " + seeds);
        }
        if (seeds.stream().distinct().count() != seeds.size()) {
            throw new IllegalArgumentException("seeds must be distinct (a repeated seed repeats a run and counts it twice), got "
                    + seeds);
        }
        if (optimizers == null || optimizers.isEmpty()) {
            throw new IllegalArgumentException("optimizers must list at least one optimizer");
        }
        if (optimizers.stream().map(OptimizerSpec::name).distinct().count() != optimizers.size()) {
            throw new IllegalArgumentException("optimizer names must be unique, got "
                    + optimizers.stream().map(OptimizerSpec::name).toList());
        }
        if (!(divergenceFactor == 0 || (divergenceFactor > 1 && Double.isFinite(divergenceFactor)))) {
            throw new IllegalArgumentException("divergenceFactor must be a number > 1 (or 0: no loss-explosion rule), got "
                    + divergenceFactor);
        }
        if (evaluateOn == null) {
            throw new IllegalArgumentException("evaluateOn must be TEST or VALIDATION, got null");
        }
        if (trainer == null) {
            throw new IllegalArgumentException("trainer must be SAMEDIFF or DL4J, got null");
        }
        if (evalEvery < 0) {
            throw new IllegalArgumentException("evalEvery must be >= 0 steps (0: " + DEFAULT_EVAL_POINTS
                    + " points over the budget), got " + evalEvery);
        }
        if (trainEvalSize < 0) {
            throw new IllegalArgumentException("trainEvalSize must be >= 0 images (0: up to " + DEFAULT_TRAIN_EVAL_SIZE
                    + "), got " + trainEvalSize);
        }
        if (maxGradientEvaluations < 0) {
            throw new IllegalArgumentException("maxGradientEvaluations must be >= 0 (0: no budget), got "
                    + maxGradientEvaluations);
        }
        if (evaluateOn == EvaluateOn.VALIDATION && data.validationSize() == 0) {
            throw new IllegalArgumentException("evaluateOn VALIDATION needs data.validationSize > 0 (images carved from "
                    + "the training set), got 0");
        }
        seeds = List.copyOf(seeds);
        optimizers = List.copyOf(optimizers);
        targets = targets == null ? new Targets(null, null, null) : targets;
    }

    /** Evaluation points by default: {@value #DEFAULT_EVAL_POINTS} over the epochs, no gradient-evaluation budget. */
    public ExperimentConfig(String name, Dataset dataset, String dataDir, DataOptions data, ModelKind model, int epochs,
                            int batchSize, List<Long> seeds, List<OptimizerSpec> optimizers, Targets targets,
                            boolean fullTrainLoss, EvaluateOn evaluateOn, double divergenceFactor, Trainer trainer) {
        this(name, dataset, dataDir, data, model, epochs, batchSize, seeds, optimizers, targets, fullTrainLoss,
                evaluateOn, divergenceFactor, trainer, 0, 0, 0);
    }

    /** The steps of an epoch: ⌈training images / batch size⌉ (the last batch may be smaller). */
    public int stepsPerEpoch(int trainingImages) {
        return (trainingImages + batchSize - 1) / batchSize;
    }

    /** The gradient evaluations a run may spend: the budget, or (no budget) one per step of every epoch. */
    public long budget(int trainingImages) {
        return maxGradientEvaluations > 0 ? maxGradientEvaluations : (long) epochs * stepsPerEpoch(trainingImages);
    }

    /** The default trainer ({@link Trainer#DEFAULT}). */
    public ExperimentConfig(String name, Dataset dataset, String dataDir, DataOptions data, ModelKind model, int epochs,
                            int batchSize, List<Long> seeds, List<OptimizerSpec> optimizers, Targets targets,
                            boolean fullTrainLoss, EvaluateOn evaluateOn, double divergenceFactor) {
        this(name, dataset, dataDir, data, model, epochs, batchSize, seeds, optimizers, targets, fullTrainLoss,
                evaluateOn, divergenceFactor, Trainer.DEFAULT);
    }

    /** The default loss-explosion rule. */
    public ExperimentConfig(String name, Dataset dataset, String dataDir, DataOptions data, ModelKind model, int epochs,
                            int batchSize, List<Long> seeds, List<OptimizerSpec> optimizers, Targets targets,
                            boolean fullTrainLoss, EvaluateOn evaluateOn) {
        this(name, dataset, dataDir, data, model, epochs, batchSize, seeds, optimizers, targets, fullTrainLoss,
                evaluateOn, DEFAULT_DIVERGENCE_FACTOR);
    }

    /** Held-out metrics on the test set. */
    public ExperimentConfig(String name, Dataset dataset, String dataDir, DataOptions data, ModelKind model, int epochs,
                            int batchSize, List<Long> seeds, List<OptimizerSpec> optimizers, Targets targets,
                            boolean fullTrainLoss) {
        this(name, dataset, dataDir, data, model, epochs, batchSize, seeds, optimizers, targets, fullTrainLoss,
                EvaluateOn.TEST);
    }

    /** This config with the environment knobs applied: the same code path, reduced sizes. */
    public ExperimentConfig withEnvironment(Map<String, String> env) {
        Function<String, Integer> get = k -> {
            String v = env.get(k);
            if (v == null || v.isBlank()) {
                return null;
            }
            try {
                int i = Integer.parseInt(v.trim());
                if (i < 1) {
                    throw new NumberFormatException();
                }
                return i;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("environment " + k + "=" + v + " must be a whole number >= 1");
            }
        };
        Integer e = get.apply("SOFIM_EPOCHS");
        Integer tr = get.apply("SOFIM_TRAIN_SIZE");
        Integer te = get.apply("SOFIM_TEST_SIZE");
        Integer s = get.apply("SOFIM_SEEDS");
        Integer b = get.apply("SOFIM_BATCH_SIZE");
        Builder r = toBuilder();
        if (e != null) {
            r.epochs(e);
        }
        if (tr != null) {
            r.trainSize(tr);
        }
        if (te != null) {
            r.testSize(te);
        }
        if (s != null) {
            r.seeds(seeds.subList(0, Math.min(s, seeds.size())));
        }
        if (b != null) {
            r.batchSize(b);
        }
        return r.build();
    }

    /** This config with other optimizers (for example the ones a tuning grid chose). */
    public ExperimentConfig withOptimizers(List<OptimizerSpec> others) {
        return toBuilder().optimizers(others).build();
    }

    /** The optimizer with the given name. */
    public OptimizerSpec optimizer(String optimizerName) {
        return optimizers.stream().filter(o -> o.name().equals(optimizerName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no optimizer named '" + optimizerName + "' in "
                        + optimizers.stream().map(OptimizerSpec::name).toList()));
    }

    /** This config with only the given optimizers and seeds (to re-run one configuration). */
    public ExperimentConfig only(List<String> optimizerNames, List<Long> seedList) {
        return toBuilder().optimizers(optimizerNames.stream().map(this::optimizer).toList()).seeds(seedList).build();
    }

    /**
     * A config built with named settings; every setting not given keeps its default:
     * <pre>{@code
     * ExperimentConfig c = ExperimentConfig.builder("quickstart")
     *         .dataset(Dataset.MNIST).model(ModelKind.MLP).epochs(2).trainSize(6000)
     *         .optimizer("sofim", Sofim.defaults())
     *         .optimizer("sgd-momentum", Sgd.momentum(0.05, 0.9))
     *         .targetAccuracy(0.95)
     *         .build();
     * }</pre>
     * Defaults: MNIST, the MLP, 1 epoch, batch size {@value Builder#DEFAULT_BATCH_SIZE}, seed 1, all images, pixels in
     * [0, 1], no targets, held-out metrics on the test set, the default divergence rule, the SameDiff trainer.
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding every setting of this config. */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.dataset = dataset;
        b.dataDir = dataDir;
        b.trainSize = data.trainSize();
        b.validationSize = data.validationSize();
        b.testSize = data.testSize();
        b.shuffleSeed = data.shuffleSeed();
        b.normalization = data.normalization();
        b.model = model;
        b.epochs = epochs;
        b.batchSize = batchSize;
        b.seeds = seeds;
        b.optimizers.addAll(optimizers);
        b.targets = targets;
        b.fullTrainLoss = fullTrainLoss;
        b.evaluateOn = evaluateOn;
        b.divergenceFactor = divergenceFactor;
        b.trainer = trainer;
        b.evalEvery = evalEvery;
        b.trainEvalSize = trainEvalSize;
        b.maxGradientEvaluations = maxGradientEvaluations;
        return b;
    }

    /** Named settings of an {@link ExperimentConfig}; {@link #build()} validates them all. */
    public static final class Builder {
        public static final int DEFAULT_BATCH_SIZE = 64;

        private final String name;
        private Dataset dataset = Dataset.MNIST;
        private String dataDir;
        private int trainSize;
        private int validationSize;
        private int testSize;
        private long shuffleSeed;
        private DataOptions.Normalization normalization = DataOptions.Normalization.UNIT;
        private ModelKind model = ModelKind.MLP;
        private int epochs = 1;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private List<Long> seeds = List.of(1L);
        private final List<OptimizerSpec> optimizers = new java.util.ArrayList<>();
        private Targets targets = new Targets(null, null, null);
        private boolean fullTrainLoss;
        private EvaluateOn evaluateOn = EvaluateOn.TEST;
        private double divergenceFactor = DEFAULT_DIVERGENCE_FACTOR;
        private Trainer trainer = Trainer.DEFAULT;
        private int evalEvery;
        private int trainEvalSize;
        private long maxGradientEvaluations;

        private Builder(String name) {
            this.name = name;
        }

        public Builder dataset(Dataset v) {
            dataset = v;
            return this;
        }

        /** An explicit folder with the dataset's files (null: the toolkit's cache and package folders). */
        public Builder dataDir(String v) {
            dataDir = v;
            return this;
        }

        /** Training images (0 = all but the validation split), from a seeded shuffle of the training set. */
        public Builder trainSize(int v) {
            trainSize = v;
            return this;
        }

        /** Images carved from the training set for validation (0 = none). */
        public Builder validationSize(int v) {
            validationSize = v;
            return this;
        }

        /** Test images (0 = all), the first ones in the official order. */
        public Builder testSize(int v) {
            testSize = v;
            return this;
        }

        public Builder shuffleSeed(long v) {
            shuffleSeed = v;
            return this;
        }

        public Builder normalization(DataOptions.Normalization v) {
            normalization = v;
            return this;
        }

        public Builder model(ModelKind v) {
            model = v;
            return this;
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /** One run per seed and optimizer. */
        public Builder seeds(long... v) {
            seeds = java.util.Arrays.stream(v).boxed().toList();
            return this;
        }

        public Builder seeds(List<Long> v) {
            seeds = List.copyOf(v);
            return this;
        }

        /** Adds an optimizer: a name for plots and tables, and its rule ({@code Sofim.defaults().withRho(50)}). */
        public Builder optimizer(String optimizerName, dev.sofim.optim.Rule rule) {
            optimizers.add(new OptimizerSpec(optimizerName, rule));
            return this;
        }

        /** Replaces the optimizers. */
        public Builder optimizers(List<OptimizerSpec> v) {
            optimizers.clear();
            optimizers.addAll(v);
            return this;
        }

        public Builder targets(Targets v) {
            targets = v;
            return this;
        }

        /** Time to a training loss at or below {@code v}. */
        public Builder targetTrainLoss(double v) {
            targets = new Targets(v, targets.testLoss(), targets.testAccuracy());
            return this;
        }

        /** Time to a held-out loss at or below {@code v}. */
        public Builder targetTestLoss(double v) {
            targets = new Targets(targets.trainLoss(), v, targets.testAccuracy());
            return this;
        }

        /** Time to a held-out accuracy at or above {@code v} (a fraction). */
        public Builder targetAccuracy(double v) {
            targets = new Targets(targets.trainLoss(), targets.testLoss(), v);
            return this;
        }

        /** Train loss by a full pass after each epoch (true) or the mean of the epoch's minibatch losses (false). */
        public Builder fullTrainLoss(boolean v) {
            fullTrainLoss = v;
            return this;
        }

        /** Held-out metrics from the test set or, for tuning, the validation split. */
        public Builder evaluateOn(EvaluateOn v) {
            evaluateOn = v;
            return this;
        }

        public Builder divergenceFactor(double v) {
            divergenceFactor = v;
            return this;
        }

        /** Who runs the training step (default {@link Trainer#DEFAULT}). */
        public Builder trainer(Trainer v) {
            trainer = v;
            return this;
        }

        /** Steps between evaluation points (0: {@value ExperimentConfig#DEFAULT_EVAL_POINTS} over the budget). */
        public Builder evalEvery(int v) {
            evalEvery = v;
            return this;
        }

        /** Training images of the evaluation points' training loss (0: up to {@value ExperimentConfig#DEFAULT_TRAIN_EVAL_SIZE}). */
        public Builder trainEvalSize(int v) {
            trainEvalSize = v;
            return this;
        }

        /** A budget in gradient evaluations: a run ends when it is spent (0: none, only the epochs). */
        public Builder maxGradientEvaluations(long v) {
            maxGradientEvaluations = v;
            return this;
        }

        public ExperimentConfig build() {
            return new ExperimentConfig(name, dataset, dataDir, new DataOptions(trainSize, validationSize, testSize,
                    shuffleSeed, normalization), model, epochs, batchSize, seeds, optimizers, targets, fullTrainLoss,
                    evaluateOn, divergenceFactor, trainer, evalEvery, trainEvalSize, maxGradientEvaluations);
        }
    }
}
