package dev.sofim.experiment;

import dev.sofim.data.ImageSet;
import dev.sofim.models.ModelKind;
import dev.sofim.models.Models;
import dev.sofim.models.SameDiffModels;
import dev.sofim.optim.OracleRule;
import dev.sofim.optim.UpdateRule;
import dev.sofim.optim.dl4j.Dl4jOracleStep;
import dev.sofim.optim.dl4j.RuleUpdaterConfig;
import dev.sofim.optim.dl4j.SameDiffStep;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One network being trained by one optimizer, whichever {@link Trainer} runs it: the harness's view of a training step,
 * the network's predictions and its checkpoint. Made by {@link #create}; {@link #restore} continues from a checkpoint
 * with the same numbers as an uninterrupted run.
 */
sealed interface Learner permits Learner.Dl4j, Learner.Graph {

    /**
     * One step on a mini-batch; returns its loss at the parameters before the step.
     *
     * @throws dev.sofim.optim.NonFiniteGradientException with the network as before the step
     */
    double fit(DataSet batch);

    /** Gradient evaluations so far, given the count {@code previous} before the last {@link #fit}. */
    long evaluations(long previous);

    /** Seconds spent in the optimizer so far (in this object's life). */
    double optimizerSeconds();

    /** SOFIM's regime at the last step ({@link dev.sofim.optim.Sofim.Diagnostics#NONE} when not known). */
    default dev.sofim.optim.Sofim.Diagnostics diagnostics() {
        return dev.sofim.optim.Sofim.Diagnostics.NONE;
    }

    /** Class probabilities for a batch of features. */
    INDArray output(INDArray features);

    /** Marks {@code epochs} epochs as finished (DL4J's epoch counter, which its schedules read). */
    void epochsDone(int epochs);

    /** Writes the checkpoint: the parameters and everything the optimizer needs to continue. */
    void save(Path file) throws IOException;

    /** The trainable parameters, as the network holds them (FLOAT), for a fresh network's initial weights. */
    long parameters();

    /** A fresh network of the config's model for this optimizer, initialized from {@code seed}. */
    static Learner create(ExperimentConfig config, ImageSet shape, OptimizerSpec optimizer, long seed) {
        return switch (config.trainer()) {
            case SAMEDIFF -> new Graph(SameDiffModels.build(config.model(), shape.channels(), shape.height(), shape.width(),
                    shape.classes(), seed), SameDiffModels.parameters(config.model()), optimizer, seed);
            case DL4J -> new Dl4j(dl4jModel(config.model(), shape, optimizer, seed), optimizer, seed);
        };
    }

    /** The network and optimizer saved in {@code checkpoint}. */
    static Learner restore(ExperimentConfig config, ImageSet shape, OptimizerSpec optimizer, long seed, Path checkpoint)
            throws IOException {
        return switch (config.trainer()) {
            case SAMEDIFF -> {
                Graph g = (Graph) create(config, shape, optimizer, seed);
                try (InputStream in = new BufferedInputStream(Files.newInputStream(checkpoint))) {
                    g.step.read(in, checkpoint.toString());
                }
                yield g;
            }
            case DL4J -> {
                Model model = config.model() == ModelKind.RESNET
                        ? ModelSerializer.restoreComputationGraph(checkpoint.toFile(), true)
                        : ModelSerializer.restoreMultiLayerNetwork(checkpoint.toFile(), true);
                Dl4j d = new Dl4j(model, optimizer, seed);
                if (d.oracle != null) {
                    double[] snapshot = ModelSerializer.getObjectFromFile(checkpoint.toFile(), Dl4jOracleStep.CHECKPOINT_KEY);
                    if (snapshot == null) {
                        throw new IllegalStateException("checkpoint " + checkpoint + " holds no optimizer state ('"
                                + Dl4jOracleStep.CHECKPOINT_KEY + "'); delete it to restart the run");
                    }
                    d.oracle.optimizer().restore(snapshot);
                }
                yield d;
            }
        };
    }

    /** The file name extension of a trainer's checkpoints. */
    static String checkpointExtension(Trainer trainer) {
        return switch (trainer) {
            case SAMEDIFF -> ".bin";
            case DL4J -> ".zip";
        };
    }

    /**
     * A DL4J network of {@code kind}: a first-order rule is its updater; a Newton-type rule runs in
     * {@link Dl4jOracleStep}, and the network carries {@link Experiment#ORACLE_MODEL_UPDATER}, which that step never calls.
     */
    static Model dl4jModel(ModelKind kind, ImageSet shape, OptimizerSpec optimizer, long seed) {
        org.nd4j.linalg.learning.config.IUpdater updater = optimizer.rule() instanceof UpdateRule u
                ? RuleUpdaterConfig.of(u) : Experiment.ORACLE_MODEL_UPDATER;
        return Models.build(kind, shape.channels(), shape.height(), shape.width(), shape.classes(), updater, seed);
    }

    /** DL4J's networks: {@code fit} with the rule as the updater, or the oracle step. */
    final class Dl4j implements Learner {
        private final Model model;
        private final Dl4jOracleStep oracle;
        private final OptimizerTimer timer = new OptimizerTimer();

        Dl4j(Model model, OptimizerSpec optimizer, long seed) {
            this.model = model;
            this.oracle = optimizer.rule() instanceof OracleRule rule ? Dl4jOracleStep.of(model, rule, seed) : null;
            model.addListeners(timer);
        }

        @Override
        public double fit(DataSet batch) {
            if (oracle != null) {
                oracle.fit(batch);
            } else if (model instanceof MultiLayerNetwork net) {
                net.fit(batch);
            } else {
                ((ComputationGraph) model).fit(batch);
            }
            NativeMemory.relieve();
            return timer.lastLoss();
        }

        @Override
        public long evaluations(long previous) {
            return oracle != null ? oracle.optimizer().gradientEvaluations() : previous + 1;
        }

        @Override
        public double optimizerSeconds() {
            return timer.seconds();
        }

        @Override
        public INDArray output(INDArray features) {
            return Scores.output(model, features);
        }

        @Override
        public void epochsDone(int epochs) {
            if (model instanceof MultiLayerNetwork net) {
                net.getLayerWiseConfigurations().setEpochCount(epochs);
            } else {
                ((ComputationGraph) model).getConfiguration().setEpochCount(epochs);
            }
        }

        @Override
        public void save(Path file) throws IOException {
            try {
                ModelSerializer.writeModel(model, file.toFile(), true);
            } catch (IOException e) {
                throw new IOException("cannot write checkpoint " + file + ": " + e.getClass().getSimpleName() + " "
                        + e.getMessage(), e);
            }
            if (oracle != null) {
                ModelSerializer.addObjectToFile(file.toFile(), Dl4jOracleStep.CHECKPOINT_KEY, oracle.optimizer().snapshot());
            }
        }

        @Override
        public long parameters() {
            return model.numParams();
        }

        /** The network's flat parameters (for the same initial weights across optimizers). */
        INDArray params() {
            return model.params();
        }

        void setParams(INDArray params) {
            model.setParams(params);
        }
    }

    /** A SameDiff graph trained by the toolkit's own step. */
    final class Graph implements Learner {
        private final SameDiffStep step;
        private int epochs;

        Graph(SameDiff sd, java.util.List<String> parameters, OptimizerSpec optimizer, long seed) {
            this.step = new SameDiffStep(sd, SameDiffModels.LOSS, parameters, optimizer.rule(), seed);
        }

        @Override
        public double fit(DataSet batch) {
            double loss = step.step(batch.getFeatures(), batch.getLabels(), epochs);
            NativeMemory.relieve(step::releaseSessions);
            return loss;
        }

        @Override
        public long evaluations(long previous) {
            return step.gradientEvaluations();
        }

        @Override
        public double optimizerSeconds() {
            return step.ruleSeconds();
        }

        @Override
        public dev.sofim.optim.Sofim.Diagnostics diagnostics() {
            return step.diagnostics();
        }

        @Override
        public INDArray output(INDArray features) {
            INDArray probabilities = step.output(features, SameDiffModels.OUTPUT);
            NativeMemory.relieve(step::releaseSessions);
            return probabilities;
        }

        @Override
        public void epochsDone(int epochs) {
            this.epochs = epochs;
        }

        @Override
        public void save(Path file) throws IOException {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                step.write(out);
            }
        }

        @Override
        public long parameters() {
            return step.size();
        }
    }
}
