package dev.sofim.experiment;

/** A run stopped because its gradient became NaN or infinite (typically a too large step); it is not retried. */
public record Divergence(String optimizer, long seed, int epoch, String message) {
}
