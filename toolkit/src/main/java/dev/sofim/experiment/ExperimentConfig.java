package dev.sofim.experiment;

import dev.sofim.data.DataOptions;
import dev.sofim.data.Datasets;
import dev.sofim.models.ModelKind;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything that defines an experiment; saved with its results, so a run can be repeated exactly.
 *
 * @param name           results folder name and plot titles
 * @param dataset        mnist, fashion-mnist, cifar10 or cifar100
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
 */
public record ExperimentConfig(String name, String dataset, String dataDir, DataOptions data, ModelKind model,
                               int epochs, int batchSize, List<Long> seeds, List<OptimizerSpec> optimizers,
                               Targets targets, boolean fullTrainLoss, EvaluateOn evaluateOn, double divergenceFactor) {

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
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("name must be letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        Datasets.NAMES.stream().filter(n -> n.equals(dataset)).findAny().orElseThrow(() ->
                new IllegalArgumentException("unknown dataset '" + dataset + "'; expected one of " + Datasets.NAMES));
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (seeds == null || seeds.isEmpty()) {
            throw new IllegalArgumentException("seeds must list at least one seed, got " + seeds);
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
        if (evaluateOn == EvaluateOn.VALIDATION && data.validationSize() == 0) {
            throw new IllegalArgumentException("evaluateOn VALIDATION needs data.validationSize > 0 (images carved from "
                    + "the training set), got 0");
        }
        seeds = List.copyOf(seeds);
        optimizers = List.copyOf(optimizers);
        targets = targets == null ? new Targets(null, null, null) : targets;
    }

    /** The default loss-explosion rule. */
    public ExperimentConfig(String name, String dataset, String dataDir, DataOptions data, ModelKind model, int epochs,
                            int batchSize, List<Long> seeds, List<OptimizerSpec> optimizers, Targets targets,
                            boolean fullTrainLoss, EvaluateOn evaluateOn) {
        this(name, dataset, dataDir, data, model, epochs, batchSize, seeds, optimizers, targets, fullTrainLoss,
                evaluateOn, DEFAULT_DIVERGENCE_FACTOR);
    }

    /** Held-out metrics on the test set. */
    public ExperimentConfig(String name, String dataset, String dataDir, DataOptions data, ModelKind model, int epochs,
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
        DataOptions d = new DataOptions(tr == null ? data.trainSize() : tr, data.validationSize(),
                te == null ? data.testSize() : te, data.shuffleSeed(), data.normalization());
        return new ExperimentConfig(name, dataset, dataDir, d, model, e == null ? epochs : e,
                b == null ? batchSize : b, s == null ? seeds : seeds.subList(0, Math.min(s, seeds.size())),
                optimizers, targets, fullTrainLoss, evaluateOn, divergenceFactor);
    }

    /** This config with other optimizers (for example the ones a tuning grid chose). */
    public ExperimentConfig withOptimizers(List<OptimizerSpec> others) {
        return new ExperimentConfig(name, dataset, dataDir, data, model, epochs, batchSize, seeds, others, targets,
                fullTrainLoss, evaluateOn, divergenceFactor);
    }

    /** The optimizer with the given name. */
    public OptimizerSpec optimizer(String optimizerName) {
        return optimizers.stream().filter(o -> o.name().equals(optimizerName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no optimizer named '" + optimizerName + "' in "
                        + optimizers.stream().map(OptimizerSpec::name).toList()));
    }

    /** This config with only the given optimizers and seeds (to re-run one configuration). */
    public ExperimentConfig only(List<String> optimizerNames, List<Long> seedList) {
        return new ExperimentConfig(name, dataset, dataDir, data, model, epochs, batchSize, seedList,
                optimizerNames.stream().map(this::optimizer).toList(), targets, fullTrainLoss, evaluateOn, divergenceFactor);
    }
}
