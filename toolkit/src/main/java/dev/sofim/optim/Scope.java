package dev.sofim.optim;

/**
 * Over which parameters one regularized Fisher matrix F = u uᵀ + ρI is formed (u as the {@link Reading} says).
 *
 * <p>The paper forms one F over all parameters ({@link #GLOBAL}). The block-diagonal scopes are
 * beyond the paper: the same formula applied independently to each block, where the adapter says
 * what a block is (a layer, or a single weight or bias tensor). For element-wise rules (SGD, Adam,
 * the diagonal-FIM variant) the scope does not change the numbers.
 */
public enum Scope {
    /** One F over every parameter the optimizer sees (the paper). */
    GLOBAL,
    /** One F per layer (all of a layer's parameters). */
    PER_LAYER,
    /** One F per parameter tensor (a layer's weights and its bias are separate blocks). */
    PER_TENSOR
}
