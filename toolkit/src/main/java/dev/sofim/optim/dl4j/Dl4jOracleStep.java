package dev.sofim.optim.dl4j;

import dev.sofim.optim.GradientOracle;
import dev.sofim.optim.OracleOptimizer;
import dev.sofim.optim.OracleRule;
import dev.sofim.optim.ParameterLayout;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A training step for a DL4J {@code MultiLayerNetwork} or {@code ComputationGraph} driven by an
 * {@link OracleRule} (AdaHessian, L-BFGS, Nyström-SGD), which DL4J's {@code IUpdater} cannot run: it
 * hands only the gradient at θ to the updater. {@link #fit} does what {@code net.fit(minibatch)} does,
 * with the core rule in place of the updater:
 * <ol>
 *   <li>the loss and gradient at θ ({@code computeGradientAndScore}), then listeners' {@code onGradientCalculation};</li>
 *   <li>the rule's step on the trainable parameters, asking a {@link GradientOracle} on the same mini-batch for
 *       gradients at other θ. Every such evaluation starts from the random-generator state the first one
 *       started from (the same dropout masks: one function of θ per step);</li>
 *   <li>parameters with DL4J's {@code NoOp} updater are stepped as DL4J steps them, θ ← θ − g with the
 *       gradient at θ: batch normalization's running mean and variance (whose "gradient" DL4J defines so
 *       that this is the running-average update) and frozen layers (gradient 0). So the running statistics
 *       after a step are exactly those of a plain training step;</li>
 *   <li>the random generator is left where the first evaluation left it, the score is the loss at θ, the
 *       iteration counter advances by one, and listeners get {@code iterationDone}, as after {@code fit}.</li>
 * </ol>
 * Networks with L1/L2/weight-decay regularization, gradient normalization or parameter constraints are rejected
 * (DL4J applies them around its updater, which this step replaces). As DL4J's updater does, the summed gradient that
 * {@code computeGradientAndScore} leaves is divided by the minibatch size (for every parameter whose layer
 * says {@code updaterDivideByMinibatch}: not the running statistics), so the rule sees the gradient of the
 * mean loss, the score. Gradients and parameters are float32 in the model,
 * double in the rule; the oracle reports the model's unit roundoff and rounds trial points to it.
 */
public final class Dl4jOracleStep {
    /** Key of the optimizer snapshot inside a checkpoint zip ({@code ModelSerializer.addObjectToFile}). */
    public static final String CHECKPOINT_KEY = "sofim-oracle-optimizer";

    private final Model model;
    private final int[][] trainable; // [from, to) ranges of the flat parameter vector, in order
    private final int[][] untrained; // NoOp-updater ranges
    private final int[][] perExample; // ranges whose gradient DL4J's updater divides by the minibatch size
    private final int n;
    private final boolean isFloat;
    private final OracleOptimizer optimizer;
    private final ParameterLayout layout;

    private Dl4jOracleStep(Model model, OracleRule rule, long seed) {
        if (!(model instanceof MultiLayerNetwork || model instanceof ComputationGraph)) {
            throw new IllegalArgumentException("the oracle step runs on a MultiLayerNetwork or ComputationGraph, got "
                    + model.getClass().getName());
        }
        this.model = model;
        List<int[]> train = new ArrayList<>(), fixed = new ArrayList<>(), divided = new ArrayList<>();
        List<Integer> kernels = new ArrayList<>();
        long base = model.params().offset();
        for (Layer layer : layers(model)) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            checkSupported(conf);
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                INDArray view = p.getValue();
                int from = (int) (view.offset() - base), to = from + (int) view.length();
                if (view.length() == 0) {
                    continue;
                }
                if (layer.conf().isMiniBatch() && layer.updaterDivideByMinibatch(p.getKey())) {
                    divided.add(new int[] {from, to});
                }
                if (conf.getUpdaterByParam(p.getKey()) instanceof NoOp) {
                    fixed.add(new int[] {from, to});
                } else {
                    train.add(new int[] {from, to});
                    kernels.add(view.rank() == 4 ? (int) (view.size(2) * view.size(3)) : 1);
                }
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Integer.compare(train.get(a)[0], train.get(b)[0]));
        this.trainable = new int[train.size()][];
        int[] starts = new int[train.size() + 1];
        int[] kernelSizes = new int[train.size()];
        for (int i = 0; i < order.size(); i++) {
            trainable[i] = train.get(order.get(i));
            kernelSizes[i] = kernels.get(order.get(i));
            starts[i + 1] = starts[i] + trainable[i][1] - trainable[i][0];
        }
        this.untrained = fixed.toArray(new int[0][]);
        this.perExample = divided.toArray(new int[0][]);
        this.n = starts[starts.length - 1];
        long covered = n;
        for (int[] r : untrained) {
            covered += r[1] - r[0];
        }
        if (covered != model.numParams()) {
            throw new IllegalStateException("parameter tables cover " + covered + " of " + model.numParams()
                    + " parameters; cannot map the flat vector");
        }
        DataType type = model.params().dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("the oracle step needs FLOAT or DOUBLE parameters, got " + type);
        }
        this.isFloat = type == DataType.FLOAT;
        this.layout = new ParameterLayout(starts, kernelSizes);
        this.optimizer = new OracleOptimizer(rule, layout, seed);
    }

    /** A step for {@code model} driven by {@code rule}, whose random probes are seeded by {@code seed}. */
    public static Dl4jOracleStep of(Model model, OracleRule rule, long seed) {
        return new Dl4jOracleStep(model, rule, seed);
    }

    private static void checkSupported(org.deeplearning4j.nn.conf.layers.Layer conf) {
        if (conf.getConstraints() != null && !conf.getConstraints().isEmpty()) {
            throw new IllegalArgumentException("layer '" + conf.getLayerName() + "' has constraints "
                    + conf.getConstraints() + "; the oracle step does not apply them (DL4J does, after its updater)");
        }
        if (conf instanceof BaseLayer b) {
            boolean regularized = (b.getRegularization() != null && !b.getRegularization().isEmpty())
                    || (b.getRegularizationBias() != null && !b.getRegularizationBias().isEmpty());
            if (regularized) {
                throw new IllegalArgumentException("layer '" + conf.getLayerName() + "' has regularization "
                        + b.getRegularization() + "; the oracle step replaces DL4J's updater, which applies it. "
                        + "Remove it (or add it to the loss) to train with an oracle optimizer");
            }
            GradientNormalization gn = b.getGradientNormalization();
            if (gn != null && gn != GradientNormalization.None) {
                throw new IllegalArgumentException("layer '" + conf.getLayerName() + "' has gradient normalization " + gn
                        + "; the oracle step replaces DL4J's updater, which applies it");
            }
        }
    }

    private static Layer[] layers(Model model) {
        return model instanceof MultiLayerNetwork net ? net.getLayers() : ((ComputationGraph) model).getLayers();
    }

    /** Number of trainable parameters (those the rule steps). */
    public int trainableParameters() {
        return n;
    }

    /** The trainable parameters' tensors in flat order, convolution kernels marked for spatial averaging. */
    public ParameterLayout layout() {
        return layout;
    }

    public OracleOptimizer optimizer() {
        return optimizer;
    }

    /**
     * One training step on {@code batch}; returns the mini-batch loss at the parameters before the step.
     *
     * @throws dev.sofim.optim.NonFiniteGradientException with the parameters as before the call
     */
    public double fit(DataSet batch) {
        BatchOracle oracle = oracle(batch);
        Collection<TrainingListener> listeners = listeners();
        for (TrainingListener l : listeners) {
            l.onGradientCalculation(model);
        }
        try {
            double[] theta = oracle.theta();
            optimizer.step(theta, oracle.gradient(), oracle.loss, oracle);
            double[] next = scatter(oracle.full, theta);
            for (int[] r : untrained) {
                for (int i = r[0]; i < r[1]; i++) {
                    next[i] = isFloat ? (float) ((float) oracle.full[i] - (float) oracle.fullGrad[i])
                            : oracle.full[i] - oracle.fullGrad[i];
                }
            }
            setParams(model.params(), next);
        } finally {
            oracle.close();
        }
        int iteration = iterationCount() + 1;
        setIterationCount(iteration);
        for (TrainingListener l : listeners) {
            l.iterationDone(model, iteration - 1, epochCount());
        }
        return oracle.loss;
    }

    /**
     * The mini-batch loss of {@code batch} as a function of the trainable parameters, for curvature studies:
     * it evaluates the loss and gradient at the current θ once (as {@link #fit}'s first step does), and every
     * further evaluation starts from the random-generator state that one started from and puts the
     * parameters back afterwards. Close it to leave the model as after a plain gradient computation.
     */
    public BatchOracle oracle(DataSet batch) {
        return new BatchOracle(batch);
    }

    /** See {@link #oracle(DataSet)}. */
    public final class BatchOracle implements GradientOracle, AutoCloseable {
        private final double[] full;
        private final double[] fullGrad;
        private final double loss;
        private final long root;
        private final long node;
        private final long rootAfter;
        private final long nodeAfter;
        private final int batchSize;

        private BatchOracle(DataSet batch) {
            setBatch(batch);
            Random rng = Nd4j.getRandom();
            root = rng.rootState();
            node = rng.nodeState();
            full = toDoubles(model.params());
            computeGradientAndScore();
            loss = model.score();
            batchSize = batch.numExamples();
            fullGrad = perExample(toDoubles(flattenedGradients()));
            rootAfter = rng.rootState();
            nodeAfter = rng.nodeState();
        }

        /** The trainable parameters θ the oracle was opened at. */
        public double[] theta() {
            return gather(full);
        }

        /** The loss at θ. */
        public double loss() {
            return loss;
        }

        /** The gradient at θ (trainable parameters). */
        public double[] gradient() {
            return gather(fullGrad);
        }

        @Override
        public int dimension() {
            return n;
        }

        @Override
        public double gradient(double[] at, double[] out) {
            Random rng = Nd4j.getRandom();
            rng.setStates(root, node);
            INDArray params = model.params();
            try {
                setParams(params, scatter(full, at));
                computeGradientAndScore();
                gather(perExample(toDoubles(flattenedGradients())), out);
                return model.score();
            } finally {
                setParams(params, full);
            }
        }

        @Override
        public double unitRoundoff() {
            return isFloat ? FLOAT_ROUNDOFF : DOUBLE_ROUNDOFF;
        }

        @Override
        public void round(double[] at) {
            if (isFloat) {
                for (int i = 0; i < at.length; i++) {
                    at[i] = (float) at[i];
                }
            }
        }

        /** The gradient of the mean loss: DL4J's summed gradient divided by the minibatch size where DL4J divides. */
        private double[] perExample(double[] g) {
            for (int[] r : perExample) {
                for (int i = r[0]; i < r[1]; i++) {
                    g[i] /= batchSize;
                }
            }
            return g;
        }

        /** Random generator as after the first evaluation, score = loss at θ, batch cleared. */
        @Override
        public void close() {
            Nd4j.getRandom().setStates(rootAfter, nodeAfter);
            setScore(loss);
            clearBatch();
        }
    }

    private INDArray flattenedGradients() {
        return model instanceof MultiLayerNetwork net ? net.getFlattenedGradients()
                : ((ComputationGraph) model).getFlattenedGradients();
    }

    private double[] gather(double[] full) {
        double[] out = new double[n];
        gather(full, out);
        return out;
    }

    /** The trainable entries of a full-length vector, in order, into {@code out}. */
    private void gather(double[] full, double[] out) {
        int k = 0;
        for (int[] r : trainable) {
            System.arraycopy(full, r[0], out, k, r[1] - r[0]);
            k += r[1] - r[0];
        }
    }

    private double[] scatter(double[] full, double[] theta) {
        double[] out = full.clone();
        int k = 0;
        for (int[] r : trainable) {
            System.arraycopy(theta, k, out, r[0], r[1] - r[0]);
            k += r[1] - r[0];
        }
        return out;
    }

    private void setParams(INDArray params, double[] values) {
        INDArray src = isFloat ? Nd4j.createFromArray(toFloats(values)) : Nd4j.createFromArray(values);
        params.assign(src.reshape(params.shape()));
    }

    private static double[] toDoubles(INDArray a) {
        return a.toDoubleVector();
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    private void computeGradientAndScore() {
        if (model instanceof MultiLayerNetwork net) {
            net.computeGradientAndScore();
        } else {
            ((ComputationGraph) model).computeGradientAndScore();
        }
    }

    private void setBatch(DataSet batch) {
        if (model instanceof MultiLayerNetwork net) {
            net.setInput(batch.getFeatures());
            net.setLabels(batch.getLabels());
            net.setLayerMaskArrays(batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
        } else {
            ComputationGraph g = (ComputationGraph) model;
            g.setInputs(batch.getFeatures());
            g.setLabels(batch.getLabels());
            g.setLayerMaskArrays(batch.getFeaturesMaskArray() == null ? null : new INDArray[] {batch.getFeaturesMaskArray()},
                    batch.getLabelsMaskArray() == null ? null : new INDArray[] {batch.getLabelsMaskArray()});
        }
    }

    private void clearBatch() {
        if (model instanceof MultiLayerNetwork net) {
            net.clearLayerMaskArrays();
            net.clearLayersStates();
        } else {
            ((ComputationGraph) model).clearLayerMaskArrays();
            ((ComputationGraph) model).clearLayersStates();
        }
    }

    private Collection<TrainingListener> listeners() {
        return model instanceof MultiLayerNetwork net ? net.getListeners() : ((ComputationGraph) model).getListeners();
    }

    private void setScore(double score) {
        if (model instanceof MultiLayerNetwork net) {
            net.setScore(score);
        } else {
            ((ComputationGraph) model).setScore(score);
        }
    }

    private int iterationCount() {
        return model instanceof MultiLayerNetwork net ? net.getIterationCount() : ((ComputationGraph) model).getIterationCount();
    }

    private void setIterationCount(int i) {
        if (model instanceof MultiLayerNetwork net) {
            net.setIterationCount(i);
        } else {
            ((ComputationGraph) model).getConfiguration().setIterationCount(i);
        }
    }

    private int epochCount() {
        return model instanceof MultiLayerNetwork net ? net.getEpochCount() : ((ComputationGraph) model).getEpochCount();
    }

    @Override
    public String toString() {
        return "Dl4jOracleStep[" + optimizer + ", trainable=" + n + ", fixed ranges=" + Arrays.deepToString(untrained) + "]";
    }
}
