package io.llrspark.model.net;

/**
 * Which statistics the batch-normalization layers normalize with during a training-mode pass.
 *
 * <p>Perturbed passes (attack steps, x+δ, x±hδ) must use the clean batch's statistics: that makes every perturbed
 * loss a per-example function of its own input, so δᵀ∇ₓℓ and the finite-difference estimate of its weight gradient
 * describe the same quantity. The statistics are then constants of the step (no gradient flows through them).
 */
public enum BatchStatistics {
    /** Statistics of the batch being passed (DL4J's training behaviour); the layers remember them as the clean batch's. */
    LIVE,
    /** The statistics remembered from the last {@link #LIVE} pass, held constant. */
    CLEAN_BATCH,
    /** The moving averages (inference behaviour), held constant. */
    MOVING_AVERAGE
}
