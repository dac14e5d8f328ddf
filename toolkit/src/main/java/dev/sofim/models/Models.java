package dev.sofim.models;

import dev.sofim.optim.dl4j.Dl4jScopes;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds the reference DL4J models for images of shape c×h×w and k classes, with a given updater
 * and weight-initialization seed. Networks are built through {@link Dl4jScopes}, so a SOFIM
 * updater's scope is applied and verified. Inputs are flat rows of c·h·w floats.
 */
public final class Models {
    private Models() {
    }

    /** A built, initialized network ({@code MultiLayerNetwork} or {@code ComputationGraph}). */
    public static Model build(ModelKind kind, int channels, int height, int width, int classes, IUpdater updater,
                              long seed) {
        return switch (kind) {
            case LOGISTIC, MLP, LENET -> Dl4jScopes.network(sequential(kind, channels, height, width, classes, updater, seed));
            case RESNET -> Dl4jScopes.graph(resnet(channels, height, width, classes, updater, seed));
        };
    }

    /** The configuration of a sequential model. */
    public static MultiLayerConfiguration sequential(ModelKind kind, int channels, int height, int width, int classes,
                                                     IUpdater updater, long seed) {
        var list = base(updater, seed).list();
        OutputLayer out = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                .activation(Activation.SOFTMAX).build();
        switch (kind) {
            case LOGISTIC -> list.layer(out);
            case MLP -> list.layer(new DenseLayer.Builder().nOut(256).activation(Activation.RELU).build())
                    .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
                    .layer(out);
            case LENET -> list.layer(new ConvolutionLayer.Builder(5, 5).nOut(6).convolutionMode(ConvolutionMode.Same)
                            .activation(Activation.RELU).build())
                    .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                    .layer(new ConvolutionLayer.Builder(5, 5).nOut(16).activation(Activation.RELU).build())
                    .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                    .layer(new DenseLayer.Builder().nOut(120).activation(Activation.RELU).build())
                    .layer(new DenseLayer.Builder().nOut(84).activation(Activation.RELU).build())
                    .layer(out);
            default -> throw new IllegalArgumentException(kind + " is not sequential");
        }
        return list.setInputType(InputType.convolutionalFlat(height, width, channels)).build();
    }

    /**
     * A small ResNet (no batch normalization: its no-op running-statistics parameters would split
     * DL4J's updater blocks and so SOFIM's global scope): stem 3×3×16, then stages of 16, 32, 64
     * channels with two residual blocks each (stride 2 at the start of stages 2 and 3, 1×1
     * projection shortcuts there), global average pooling, softmax.
     */
    public static ComputationGraphConfiguration resnet(int channels, int height, int width, int classes,
                                                       IUpdater updater, long seed) {
        var g = base(updater, seed).graphBuilder().addInputs("input")
                .setInputTypes(InputType.convolutionalFlat(height, width, channels));
        g.addLayer("stem", conv(3, 16, 1, Activation.RELU), "input");
        String prev = "stem";
        int[] widths = {16, 32, 64};
        for (int s = 0; s < widths.length; s++) {
            for (int b = 0; b < 2; b++) {
                int stride = (s > 0 && b == 0) ? 2 : 1;
                String name = "s" + s + "b" + b;
                g.addLayer(name + "_c1", conv(3, widths[s], stride, Activation.RELU), prev);
                g.addLayer(name + "_c2", conv(3, widths[s], 1, Activation.IDENTITY), name + "_c1");
                String shortcut = prev;
                if (stride != 1) {
                    g.addLayer(name + "_proj", conv(1, widths[s], stride, Activation.IDENTITY), prev);
                    shortcut = name + "_proj";
                }
                g.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), name + "_c2", shortcut);
                g.addLayer(name + "_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), name + "_add");
                prev = name + "_relu";
            }
        }
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), prev);
        g.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                .activation(Activation.SOFTMAX).build(), "pool");
        return g.setOutputs("out").build();
    }

    private static ConvolutionLayer conv(int k, int out, int stride, Activation a) {
        return new ConvolutionLayer.Builder(k, k).stride(stride, stride).nOut(out)
                .convolutionMode(ConvolutionMode.Same).activation(a).build();
    }

    private static NeuralNetConfiguration.Builder base(IUpdater updater, long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT).updater(updater)
                .weightInit(WeightInit.RELU);
    }

    /** Number of trainable parameters. */
    public static long parameterCount(Model model) {
        return model.numParams();
    }
}
