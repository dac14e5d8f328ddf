package dev.sofim.experiment;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Mean cross-entropy loss and accuracy of a softmax classifier on a dataset, in chunks of a given number of examples
 * (a model's {@link dev.sofim.models.ModelKind#evaluationChunk()}), summed in example order.
 */
public record Scores(double loss, double accuracy) {
    /** The scores of a DL4J network, in chunks of {@link dev.sofim.models.ModelKind#SMALL_MODEL_CHUNK}. */
    public static Scores of(Model model, DataSet data) {
        return of(x -> output(model, x), data, dev.sofim.models.ModelKind.SMALL_MODEL_CHUNK);
    }

    /** The scores of any classifier, given as its class probabilities for a batch of features, {@code chunk} at a time. */
    public static Scores of(java.util.function.UnaryOperator<INDArray> probabilities, DataSet data, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("evaluation chunk must be at least 1 example, got " + chunk);
        }
        long n = data.numExamples();
        double lossSum = 0;
        long correct = 0;
        for (long from = 0; from < n; from += chunk) {
            long to = Math.min(n, from + chunk);
            INDArray x = data.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to),
                    org.nd4j.linalg.indexing.NDArrayIndex.all());
            INDArray y = data.getLabels().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to),
                    org.nd4j.linalg.indexing.NDArrayIndex.all());
            INDArray p = probabilities.apply(x);
            INDArray label = y.argMax(1);
            INDArray predicted = p.argMax(1);
            for (int i = 0; i < to - from; i++) {
                int l = label.getInt(i);
                lossSum -= Math.log(Math.max(p.getDouble(i, l), 1e-12));
                if (predicted.getInt(i) == l) {
                    correct++;
                }
            }
            NativeMemory.relieve();
        }
        return new Scores(lossSum / n, correct / (double) n);
    }

    static INDArray output(Model model, INDArray x) {
        if (model instanceof MultiLayerNetwork net) {
            return net.output(x, false);
        } else if (model instanceof ComputationGraph g) {
            return g.outputSingle(false, x);
        }
        throw new IllegalArgumentException("unsupported model " + model.getClass().getName());
    }
}
