package dev.sofim.models;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The toolkit's models as SameDiff graphs, for the training step the toolkit runs itself
 * ({@link dev.sofim.optim.dl4j.SameDiffStep}): features in placeholder {@code in} (flat, as the DL4J models take them),
 * one-hot labels in {@code label}, the mean softmax cross-entropy in {@code loss}, class probabilities in {@code out}.
 */
public final class SameDiffModels {
    private SameDiffModels() {
    }

    /**
     * LeNet-5 as {@link Models}' {@code LENET}: conv 5×5×6 (same) ReLU, max-pool 2, conv 5×5×16 (valid) ReLU, max-pool
     * 2, dense 120 ReLU, 84 ReLU, softmax; He-normal weights N(0, 2/fan-in) (DL4J's {@code WeightInit.RELU}), zero
     * biases, drawn from {@code seed}. NCHW activations, convolution weights [kH, kW, in, out] (libnd4j's default layout;
 * its {@code conv2d_bp} refuses [out, in, kH, kW] in 1.0.0-M2.1).
     */
    public static SameDiff lenet(int channels, int height, int width, int classes, long seed) {
        SameDiff sd = SameDiff.create();
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        SDVariable in = sd.placeHolder("in", DataType.FLOAT, -1, (long) channels * height * width);
        SDVariable label = sd.placeHolder("label", DataType.FLOAT, -1, classes);
        SDVariable x = in.reshape(-1, channels, height, width);
        x = sd.nn().relu(sd.cnn().conv2d(x, weights(sd, "c1_W", rng, 5, 5, channels, 6), bias(sd, "c1_b", 6),
                conv(PaddingMode.SAME)), 0);
        x = sd.cnn().maxPooling2d(x, pool());
        x = sd.nn().relu(sd.cnn().conv2d(x, weights(sd, "c2_W", rng, 5, 5, 6, 16), bias(sd, "c2_b", 16),
                conv(PaddingMode.VALID)), 0);
        x = sd.cnn().maxPooling2d(x, pool());
        long h = (height / 2 - 4) / 2, w = (width / 2 - 4) / 2;
        x = x.reshape(-1, 16 * h * w);
        x = sd.nn().relu(x.mmul(weights(sd, "d1_W", rng, 16 * h * w, 120)).add(bias(sd, "d1_b", 120)), 0);
        x = sd.nn().relu(x.mmul(weights(sd, "d2_W", rng, 120, 84)).add(bias(sd, "d2_b", 84)), 0);
        SDVariable logits = x.mmul(weights(sd, "out_W", rng, 84, classes)).add(bias(sd, "out_b", classes));
        sd.nn().softmax("out", logits, 1);
        sd.loss.softmaxCrossEntropy("loss", label, logits, null);
        return sd;
    }

    private static Conv2DConfig conv(PaddingMode padding) {
        return Conv2DConfig.builder().kH(5).kW(5).sH(1).sW(1).paddingMode(padding).dataFormat("NCHW")
                .weightsFormat(WeightsFormat.YXIO).build();
    }

    private static Pooling2DConfig pool() {
        return Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).paddingMode(PaddingMode.VALID).isNHWC(false).build();
    }

    /** He-normal weights: N(0, 2 / fan-in); convolution weights are [kH, kW, in, out], dense ones [in, out]. */
    private static SDVariable weights(SameDiff sd, String name, Random rng, long... shape) {
        long fanIn = shape.length == 2 ? shape[0] : shape[0] * shape[1] * shape[2];
        INDArray w = Nd4j.randn(rng, shape).castTo(DataType.FLOAT).muli(Math.sqrt(2.0 / fanIn));
        return sd.var(name, w);
    }

    private static SDVariable bias(SameDiff sd, String name, long n) {
        return sd.var(name, Nd4j.zeros(DataType.FLOAT, n));
    }
}
