package dev.sofim.experiment;

import dev.sofim.data.ImageSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/** Turns an {@link ImageSet} into DL4J minibatches: flat float features, one-hot labels. */
public final class Batches {
    private Batches() {
    }

    /** The whole set as one DataSet (for evaluation). */
    public static DataSet all(ImageSet set) {
        return slice(set, null, 0, set.size());
    }

    /**
     * Minibatches in a seeded order: epoch e of seed s is always shuffled the same way (the
     * permutation is drawn from seed·1,000,003 + e), so runs and resumed runs see the same data.
     * The last batch may be short.
     */
    public static List<DataSet> epoch(ImageSet set, int batchSize, long seed, int epoch) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        int[] order = ImageSet.permutation(set.size(), seed * 1_000_003L + epoch);
        List<DataSet> out = new ArrayList<>();
        for (int from = 0; from < set.size(); from += batchSize) {
            out.add(slice(set, order, from, Math.min(set.size(), from + batchSize)));
        }
        return out;
    }

    private static DataSet slice(ImageSet set, int[] order, int from, int to) {
        int d = set.features();
        int n = to - from;
        float[] x = new float[n * d];
        float[] y = new float[n * set.classes()];
        for (int k = 0; k < n; k++) {
            int i = order == null ? from + k : order[from + k];
            System.arraycopy(set.pixels(), i * d, x, k * d, d);
            y[k * set.classes() + set.labels()[i]] = 1f;
        }
        INDArray features = Nd4j.create(x, new long[] {n, d}, 'c');
        INDArray labels = Nd4j.create(y, new long[] {n, set.classes()}, 'c');
        return new DataSet(features.castTo(DataType.FLOAT), labels.castTo(DataType.FLOAT));
    }
}
