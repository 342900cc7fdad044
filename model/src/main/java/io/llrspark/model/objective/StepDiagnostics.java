package io.llrspark.model.objective;

/**
 * What one step measured, averaged over the batch: clean cross-entropy, the linearity violation γ = |g(δ)|, the
 * linear term |δᵀ∇ₓℓ|, the regularizer term the objective adds (TRADES: its KL), the total objective, and the cost
 * in passes (forward+backward, and forward-only).
 */
public record StepDiagnostics(double cleanLoss, double gamma, double linearTerm, double regularizer, double total,
                              int passes, int forwardPasses) {

    public static StepDiagnostics plain(double cleanLoss, double total, int passes, int forwardPasses) {
        return new StepDiagnostics(cleanLoss, Double.NaN, Double.NaN, Double.NaN, total, passes, forwardPasses);
    }
}
