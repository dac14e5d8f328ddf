package dev.sofim.experiment;

/**
 * Callbacks from a running {@link Experiment}, on the training thread: console progress bars and
 * the notebooks' live plots implement it. Every method has an empty default.
 */
public interface ExperimentListener {
    /** A run starts (or resumes) at {@code startEpoch} (1-based) with {@code batches} minibatches per epoch. */
    default void runStarted(String optimizer, long seed, int startEpoch, int epochs, int batches) {
    }

    /** One minibatch step finished with this minibatch loss. */
    default void iteration(String optimizer, long seed, int epoch, int batch, double loss) {
    }

    /** An evaluation point was taken (also replayed for the saved points of a resumed run). */
    default void pointEvaluated(EvalPoint point) {
    }

    /** An epoch finished and its record was written. */
    default void epochFinished(EpochRecord record) {
    }

    /** A run stopped early: its gradient became non-finite. */
    default void runDiverged(Divergence divergence) {
    }

    /** A run finished all its epochs or spent its gradient-evaluation budget. */
    default void runFinished(String optimizer, long seed) {
    }
}
