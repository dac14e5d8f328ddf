package dev.sofim.bench;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The probe measures a correct formulation: its Java patch matrix times the weights is the first convolution. */
class ConvProbeTest {

    @Test
    void javaPatchesTimesTheWeightsAreLibnd4jsConvolution() {
        int batch = 3;
        ConvProbe.Layer c1 = ConvProbe.LENET.get(0);
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 1, 28, 28);
        INDArray w = Nd4j.randn(DataType.FLOAT, 5, 5, 1, 6);
        INDArray b = Nd4j.randn(DataType.FLOAT, 6);
        INDArray y = Nd4j.create(DataType.FLOAT, batch, 6, 28, 28);
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, w, b).addOutputs(y)
                .addIntegerArguments(5, 5, 1, 1, 2, 2, 1, 1, 1, 0, 0).build());
        INDArray patches = Nd4j.create(DataType.FLOAT, batch * 28 * 28, 25);
        ConvProbe.patches(x.data().asFloat(), batch, c1, patches);
        INDArray z = patches.mmul(w.reshape(25, 6)).addRowVector(b).reshape(batch, 28 * 28, 6).permute(0, 2, 1)
                .reshape(batch, 6, 28, 28);
        assertEquals(0, y.sub(z).amaxNumber().doubleValue(), 1e-4, "the same convolution, up to rounding");
        // the padding: the corner patch holds zeros where the kernel hangs over the image
        assertEquals(0f, patches.getFloat(0, 0));
        assertEquals(x.getFloat(0, 0, 0, 0), patches.getFloat(0, 12));
    }
}
