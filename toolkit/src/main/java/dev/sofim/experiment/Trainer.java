package dev.sofim.experiment;

import java.util.Locale;

/**
 * Who runs an experiment's training step. Both train the same architectures ({@link dev.sofim.models.ModelKind}) with
 * the same rules from the pure core, on the same mini-batches; they differ in the network library, so in initial
 * weights and float rounding, and in speed.
 */
public enum Trainer {
    /**
     * The toolkit's own step ({@link dev.sofim.optim.dl4j.SameDiffStep}) on the model as a SameDiff graph
     * ({@link dev.sofim.models.SameDiffModels}): one flat gradient of all parameters to the core rule, one Fisher matrix
     * over all of them, the Newton-type rules' gradient oracle on the same graph; libnd4j's convolution ops (oneDNN on
     * the toolkit's ND4J build). The default for configs built in code.
     */
    SAMEDIFF,
    /**
     * DL4J's {@code MultiLayerNetwork}/{@code ComputationGraph} ({@link dev.sofim.models.Models}) with the core rule as
     * its {@code IUpdater} ({@link dev.sofim.optim.dl4j.RuleUpdaterConfig}), Newton-type rules in
     * {@link dev.sofim.optim.dl4j.Dl4jOracleStep}. What every config file without a {@code trainer} key means: the
     * trainer of every results folder written before the SameDiff trainer existed.
     */
    DL4J;

    /** The default of configs built in code ({@link ExperimentConfig#builder}). */
    public static final Trainer DEFAULT = SAMEDIFF;
    /** What a config file without a {@code trainer} key means. */
    public static final Trainer UNNAMED = DL4J;

    /** The name used in config files: {@code samediff} or {@code dl4j}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code samediff} or {@code dl4j} (any case). */
    public static Trainer parse(String id) {
        for (Trainer t : values()) {
            if (t.id().equalsIgnoreCase(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("trainer must be \"samediff\" or \"dl4j\", got '" + id + "'");
    }
}
