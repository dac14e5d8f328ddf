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
 * The reference models ({@link ModelKind}) as SameDiff graphs, for the training step the toolkit runs itself
 * ({@link dev.sofim.optim.dl4j.SameDiffStep}): the same architectures as {@link Models}' DL4J networks, features in
 * placeholder {@value #INPUT} (flat rows of c·h·w floats, as the DL4J models take them), one-hot labels in
 * {@value #LABEL}, the mean softmax cross-entropy in {@value #LOSS}, class probabilities in {@value #OUTPUT}.
 *
 * <p>Every trainable variable is named {@code <layer>_W} or {@code <layer>_b}, in the order of the layers (what the
 * per-layer scope groups). Weights are He-normal, N(0, 2/fan-in) (DL4J's {@code WeightInit.RELU}, which {@link Models}
 * uses), biases zero, all drawn from {@code seed} as DL4J draws them: a graph starts from the same weights as its DL4J
 * twin built with the same seed (checked by {@code TrainerAgreementTest}). NCHW activations; convolution weights [kH, kW, in, out] (libnd4j's default layout: its
 * {@code conv2d_bp} refuses [out, in, kH, kW] in 1.0.0-M2.1).
 */
public final class SameDiffModels {
    public static final String INPUT = dev.sofim.optim.dl4j.SameDiffStep.INPUT;
    public static final String LABEL = dev.sofim.optim.dl4j.SameDiffStep.LABEL;
    public static final String LOSS = "loss";
    public static final String OUTPUT = "out";
    private static final int[] RESNET_WIDTHS = {16, 32, 64};

    private SameDiffModels() {
    }

    /** The graph of {@code kind} for c×h×w images and k classes, initialized from {@code seed}. */
    public static SameDiff build(ModelKind kind, int channels, int height, int width, int classes, long seed) {
        return switch (kind) {
            case LOGISTIC -> logistic(channels, height, width, classes, seed);
            case MLP -> mlp(channels, height, width, classes, seed);
            case LENET -> lenet(channels, height, width, classes, seed);
            case RESNET -> resnet(channels, height, width, classes, seed);
        };
    }

    /**
     * The trainable variables of {@code kind}'s graph in the order DL4J's twin lays out its flat parameter vector (layer
     * by layer, in the network's topological order; each layer's {@code _W} then {@code _b}). SameDiff itself keeps its
     * variables in name order, so {@link dev.sofim.optim.dl4j.SameDiffStep} is given this order.
     */
    public static java.util.List<String> parameters(ModelKind kind) {
        java.util.List<String> layers = new java.util.ArrayList<>();
        switch (kind) {
            case LOGISTIC -> { }
            case MLP -> layers.addAll(java.util.List.of("d1", "d2"));
            case LENET -> layers.addAll(java.util.List.of("c1", "c2", "d1", "d2"));
            case RESNET -> {
                layers.add("stem");
                for (int s = 0; s < RESNET_WIDTHS.length; s++) {
                    for (int b = 0; b < 2; b++) {
                        String name = "s" + s + "b" + b;
                        layers.add(name + "_c1");
                        if (s > 0 && b == 0) {
                            layers.add(name + "_proj"); // DL4J's topological order: the shortcut before the second conv
                        }
                        layers.add(name + "_c2");
                    }
                }
            }
        }
        layers.add(OUTPUT);
        java.util.List<String> names = new java.util.ArrayList<>();
        for (String l : layers) {
            names.add(l + "_W");
            names.add(l + "_b");
        }
        return names;
    }

    /** Multinomial logistic regression: one softmax layer. */
    public static SameDiff logistic(int channels, int height, int width, int classes, long seed) {
        Graph g = new Graph(channels, height, width, classes, seed);
        return g.classifier(g.in, (long) channels * height * width);
    }

    /** Two ReLU hidden layers (256, 128), softmax. */
    public static SameDiff mlp(int channels, int height, int width, int classes, long seed) {
        Graph g = new Graph(channels, height, width, classes, seed);
        SDVariable x = g.dense("d1", g.in, (long) channels * height * width, 256, true);
        return g.classifier(g.dense("d2", x, 256, 128, true), 128);
    }

    /**
     * LeNet-5 as {@link Models}' {@code LENET}: conv 5×5×6 (same) ReLU, max-pool 2, conv 5×5×16 (valid) ReLU, max-pool
     * 2, dense 120 ReLU, 84 ReLU, softmax.
     */
    public static SameDiff lenet(int channels, int height, int width, int classes, long seed) {
        Graph g = new Graph(channels, height, width, classes, seed);
        SDVariable x = g.image();
        // max-pooling before the ReLU: relu(maxpool(z)) = maxpool(relu(z)) element for element (the ReLU is monotone)
        // and the gradient goes to the same position, so the numbers are the same bit for bit with a quarter of the
        // ReLU work (toolkit/benchmarks/conv-probe-onednn-avx2.md)
        x = g.sd.nn().relu(g.sd.cnn().maxPooling2d(g.conv("c1", x, 5, channels, 6, 1, PaddingMode.SAME), pool()), 0);
        x = g.sd.nn().relu(g.sd.cnn().maxPooling2d(g.conv("c2", x, 5, 6, 16, 1, PaddingMode.VALID), pool()), 0);
        long flat = 16L * ((height / 2 - 4) / 2) * ((width / 2 - 4) / 2);
        x = g.dense("d1", x.reshape(-1, flat), flat, 120, true);
        return g.classifier(g.dense("d2", x, 120, 84, true), 84);
    }

    /**
     * The small ResNet of {@link Models#resnet}: stem 3×3×16, stages of 16, 32, 64 channels with two residual blocks
     * each (3×3 convolutions, stride 2 at the start of stages 2 and 3 with 1×1 projection shortcuts there, ReLU after
     * the sum), global average pooling, softmax. No batch normalization, as in the DL4J model.
     */
    public static SameDiff resnet(int channels, int height, int width, int classes, long seed) {
        Graph g = new Graph(channels, height, width, classes, seed);
        SDVariable x = g.sd.nn().relu(g.conv("stem", g.image(), 3, channels, 16, 1, PaddingMode.SAME), 0);
        int[] widths = RESNET_WIDTHS;
        int in = 16;
        for (int s = 0; s < widths.length; s++) {
            for (int b = 0; b < 2; b++) {
                int stride = (s > 0 && b == 0) ? 2 : 1;
                String name = "s" + s + "b" + b;
                SDVariable y = g.sd.nn().relu(g.conv(name + "_c1", x, 3, in, widths[s], stride, PaddingMode.SAME), 0);
                y = g.conv(name + "_c2", y, 3, widths[s], widths[s], 1, PaddingMode.SAME);
                SDVariable shortcut = stride == 1 ? x : g.conv(name + "_proj", x, 1, in, widths[s], stride, PaddingMode.SAME);
                x = g.sd.nn().relu(y.add(shortcut), 0);
                in = widths[s];
            }
        }
        return g.classifier(x.mean(2, 3), in);
    }

    private static Pooling2DConfig pool() {
        return Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).paddingMode(PaddingMode.VALID).isNHWC(false).build();
    }

    /** A graph under construction: its placeholders and the weights' random generator. */
    private static final class Graph {
        final SameDiff sd = SameDiff.create();
        final Random rng;
        final SDVariable in;
        final SDVariable label;
        final int channels, height, width, classes;

        Graph(int channels, int height, int width, int classes, long seed) {
            if (channels < 1 || height < 1 || width < 1 || classes < 2) {
                throw new IllegalArgumentException("images must be at least 1×1×1 with 2 or more classes, got "
                        + channels + "×" + height + "×" + width + " and " + classes + " classes");
            }
            this.channels = channels;
            this.height = height;
            this.width = width;
            this.classes = classes;
            this.rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
            this.in = sd.placeHolder(INPUT, DataType.FLOAT, -1, (long) channels * height * width);
            this.label = sd.placeHolder(LABEL, DataType.FLOAT, -1, classes);
        }

        SDVariable image() {
            return in.reshape(-1, channels, height, width);
        }

        SDVariable conv(String name, SDVariable x, int k, long in, long out, int stride, PaddingMode padding) {
            Conv2DConfig c = Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).paddingMode(padding)
                    .dataFormat("NCHW").weightsFormat(WeightsFormat.YXIO).build();
            return sd.cnn().conv2d(x, weights(name + "_W", k, k, in, out), bias(name + "_b", out), c);
        }

        SDVariable dense(String name, SDVariable x, long in, long out, boolean relu) {
            SDVariable z = x.mmul(weights(name + "_W", in, out)).add(bias(name + "_b", out));
            return relu ? sd.nn().relu(z, 0) : z;
        }

        /** The softmax layer on [batch, width] features, its probabilities and the loss. */
        SameDiff classifier(SDVariable features, long width) {
            SDVariable logits = dense(OUTPUT, features, width, classes, false);
            sd.nn().softmax(OUTPUT, logits, 1);
            sd.loss.softmaxCrossEntropy(LOSS, label, logits, null);
            return sd;
        }

        /**
         * He-normal weights, N(0, 2 / fan-in), drawn as DL4J's {@code WeightInit.RELU} draws them for the same layer
         * from the same stream: a convolution's [out, in, kH, kW] in row-major order (stored here as [kH, kW, in, out]),
         * a dense layer's [in, out] in column-major order. So a graph and its DL4J twin built with the same seed start
         * from the same weights.
         */
        SDVariable weights(String name, long... shape) {
            INDArray w;
            long fanIn;
            if (shape.length == 4) { // [kH, kW, in, out]
                fanIn = shape[0] * shape[1] * shape[2];
                w = Nd4j.randn(rng, new long[] {shape[3], shape[2], shape[0], shape[1]}).permute(2, 3, 1, 0);
            } else { // [in, out]
                fanIn = shape[0];
                w = Nd4j.randn(rng, new long[] {shape[1], shape[0]}).transpose();
            }
            return sd.var(name, w.castTo(DataType.FLOAT).muli(Math.sqrt(2.0 / fanIn)).dup('c'));
        }

        SDVariable bias(String name, long n) {
            return sd.var(name, Nd4j.zeros(DataType.FLOAT, n));
        }
    }
}
