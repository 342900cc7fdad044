package io.llrspark.model.objective;

/** Defaults whose values are measured choices rather than paper settings (see docs/objectives.md). */
public final class LlrDefaults {
    private LlrDefaults() {
    }

    /**
     * Finite-difference step along δ for ∇θ(δᵀ∇ₓℓ), relative to δ. Central differences balance O(h²) truncation
     * against float32 cancellation of order u/h (u ≈ 6e-8), so the optimum is near u^(1/3) ≈ 4e-3 per unit of δ;
     * since ‖δ‖∞ = ε ≈ 0.1 already scales the step, h = 0.05 puts the input change at ≈ 5e-3.
     */
    public static final double H = 0.05;
}
