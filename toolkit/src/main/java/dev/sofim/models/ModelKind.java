package dev.sofim.models;

/**
 * The reference models, by the names used in experiment configs, each with the number of images one forward-only
 * evaluation takes at once ({@link #evaluationChunk()}): what bounds an evaluation's memory, not its numbers' meaning.
 */
public enum ModelKind {
    /** Multinomial logistic regression: one softmax layer. */
    LOGISTIC(ModelKind.SMALL_MODEL_CHUNK),
    /** Multi-layer perceptron: two ReLU hidden layers (256, 128). */
    MLP(ModelKind.SMALL_MODEL_CHUNK),
    /** LeNet-5 style CNN: conv 5×5×6, max-pool, conv 5×5×16, max-pool, dense 120, dense 84, softmax. */
    LENET(ModelKind.SMALL_MODEL_CHUNK),
    /**
     * A small ResNet for 32×32 colour images: a stem conv, three stages of two residual blocks, global pooling. Its
     * forward pass holds about 0.75 MB of activations an image (16 channels at 32×32 through the first stage), so a
     * chunk of 1,000 images took the process from 0.65 to 1.4 GB resident (measured,
     * {@code toolkit/docs/memory.md}); it evaluates 128 at a time, its training batch in the notebooks.
     */
    RESNET(128);

    /** Images per evaluation chunk for the small models: their activations for 1,000 images are tens of megabytes. */
    public static final int SMALL_MODEL_CHUNK = 1000;

    private final int evaluationChunk;

    ModelKind(int evaluationChunk) {
        this.evaluationChunk = evaluationChunk;
    }

    /** The number of images a forward-only evaluation of this model takes at once. */
    public int evaluationChunk() {
        return evaluationChunk;
    }

    public static ModelKind parse(String name) {
        for (ModelKind k : values()) {
            if (k.name().equalsIgnoreCase(name.replace('-', '_'))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown model '" + name + "'; expected one of logistic, mlp, lenet, resnet");
    }
}
