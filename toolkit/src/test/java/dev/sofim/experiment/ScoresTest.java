package dev.sofim.experiment;

import dev.sofim.models.ModelKind;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scores in chunks: any chunk gives the scores of the whole set, computed by hand; a chunk under 1 is refused. */
class ScoresTest {

    /** Seven examples whose "features" are already class probabilities, so the classifier is the identity. */
    private static DataSet probabilities() {
        double[][] p = {{0.7, 0.2, 0.1}, {0.1, 0.8, 0.1}, {0.3, 0.3, 0.4}, {0.5, 0.4, 0.1}, {0.2, 0.2, 0.6},
                {0.9, 0.05, 0.05}, {0.25, 0.5, 0.25}};
        int[] label = {0, 1, 1, 0, 2, 1, 1};
        INDArray y = Nd4j.zeros(7, 3);
        for (int i = 0; i < 7; i++) {
            y.putScalar(i, label[i], 1);
        }
        return new DataSet(Nd4j.create(p), y);
    }

    @Test
    void everyChunkGivesTheScoresOfTheWholeSet() {
        double[] pTrue = {0.7, 0.8, 0.3, 0.5, 0.6, 0.05, 0.5};
        double loss = 0;
        for (double p : pTrue) {
            loss -= Math.log(p);
        }
        // argmax: 0, 1, 2, 0, 2, 0, 1 against labels 0, 1, 1, 0, 2, 1, 1: five right
        for (int chunk : new int[] {1, 2, 3, 7, ModelKind.RESNET.evaluationChunk(), ModelKind.SMALL_MODEL_CHUNK}) {
            Scores s = Scores.of(x -> x, probabilities(), chunk);
            assertEquals(loss / 7, s.loss(), 1e-12, "chunk " + chunk);
            assertEquals(5 / 7.0, s.accuracy(), 0, "chunk " + chunk);
        }
    }

    @Test
    void aChunkUnderOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scores.of(x -> x, probabilities(), 0));
        assertTrue(e.getMessage().contains("at least 1 example, got 0"), e.getMessage());
    }
}
