package dev.sofim.optim.dl4j;

import dev.sofim.optim.Sofim;
import dev.sofim.optim.UpdateStep;
import dev.sofim.optim.Vec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Chunk copies in and out of ND4J buffers, on views with an offset into a larger array, as DL4J hands them. */
class NdVecTest {
    private static final int SKIP = 37;

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void bulkReadAndWriteMatchElementAccess(DataType type) {
        INDArray whole = Nd4j.linspace(type, 1, 200, 1).reshape(1, 200);
        INDArray view = whole.get(NDArrayIndex.point(0), NDArrayIndex.interval(SKIP, 200));
        Vec v = NdVec.of(view, "view");
        double[] read = new double[10];
        v.read(5, read, 2, 8);
        for (int j = 0; j < 8; j++) {
            assertEquals(SKIP + 5 + j + 1, read[2 + j], "element " + (5 + j));
        }
        v.write(150, new double[] {-1, -2, -3}, 0, 3);
        assertEquals(-1, whole.getDouble(0, SKIP + 150));
        assertEquals(-3, whole.getDouble(0, SKIP + 152));
        assertEquals(SKIP + 153 + 1, whole.getDouble(0, SKIP + 153));
        assertEquals(SKIP, whole.getDouble(0, SKIP - 1), "the element before the view is untouched");
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void chunksPastTheViewsEndAreRejectedWithNothingWritten(DataType type) {
        INDArray whole = Nd4j.linspace(type, 1, 200, 1).reshape(1, 200);
        INDArray view = whole.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 150));
        Vec v = NdVec.of(view, "view");
        double[] before = whole.toDoubleVector();
        assertThrows(IndexOutOfBoundsException.class, () -> v.write(145, new double[10], 0, 10));
        assertThrows(IndexOutOfBoundsException.class, () -> v.read(145, new double[10], 0, 10));
        assertArrayEquals(before, whole.toDoubleVector(), "the elements after the view are untouched");
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 3 * UpdateStep.PARALLEL_THRESHOLD + 7})
    void chunkedStepOnAFloatViewMatchesTheDoubleCore(int n) {
        INDArray whole = Nd4j.rand(DataType.FLOAT, 1, SKIP + n).subi(0.5).muli(1e-2);
        INDArray grad = whole.get(NDArrayIndex.point(0), NDArrayIndex.interval(SKIP, SKIP + n));
        INDArray stateView = Nd4j.zeros(DataType.FLOAT, n);
        double[] g = grad.toDoubleVector();
        double[] state = new double[n];
        double[] prefix = whole.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, SKIP)).toDoubleVector();
        Sofim rule = Sofim.defaults();

        UpdateStep.compute(rule, NdVec.of(grad, "gradient"), NdVec.of(stateView, "state"), null, 1, 0, null);
        UpdateStep.compute(rule, Vec.of(g), Vec.of(state), null, 1, 0, null);

        assertArrayEquals(g, grad.toDoubleVector(), 1e-6 * maxAbs(g));
        assertArrayEquals(state, stateView.toDoubleVector(), 1e-6 * maxAbs(state));
        assertArrayEquals(prefix, whole.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, SKIP)).toDoubleVector());
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
