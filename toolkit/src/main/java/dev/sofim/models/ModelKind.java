package dev.sofim.models;

/** The reference models, by the names used in experiment configs. */
public enum ModelKind {
    /** Multinomial logistic regression: one softmax layer. */
    LOGISTIC,
    /** Multi-layer perceptron: two ReLU hidden layers (256, 128). */
    MLP,
    /** LeNet-5 style CNN: conv 5×5×6, max-pool, conv 5×5×16, max-pool, dense 120, dense 84, softmax. */
    LENET,
    /** A small ResNet for 32×32 colour images: a stem conv, three stages of two residual blocks, global pooling. */
    RESNET;

    public static ModelKind parse(String name) {
        for (ModelKind k : values()) {
            if (k.name().equalsIgnoreCase(name.replace('-', '_'))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown model '" + name + "'; expected one of logistic, mlp, lenet, resnet");
    }
}
