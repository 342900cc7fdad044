package io.llrspark.model.objective;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one step measured, averaged over the batch: a core every objective reports (the clean cross-entropy, the
 * total objective, the cost in passes: forward+backward, and forward-only) and the named terms the objective itself
 * adds, in its own order (LLR: γ = |g(δ)|, the linear term |δᵀ∇ₓℓ| and its regularizer λγ + μ|δᵀ∇ₓℓ|; TRADES: the
 * KL; ADV: the adversarial cross-entropy). A term is NaN where a step did not measure it.
 */
public record StepDiagnostics(double cleanLoss, double total, int passes, int forwardPasses,
                              Map<String, Double> terms) implements Serializable {

    public StepDiagnostics {
        terms = Collections.unmodifiableMap(new LinkedHashMap<>(terms));
    }

    /** The core alone. */
    public StepDiagnostics(double cleanLoss, double total, int passes, int forwardPasses) {
        this(cleanLoss, total, passes, forwardPasses, Map.of());
    }

    /** With one more named term (chained, in the order the objective reports them). */
    public StepDiagnostics with(String term, double value) {
        Map<String, Double> more = new LinkedHashMap<>(terms);
        more.put(term, value);
        return new StepDiagnostics(cleanLoss, total, passes, forwardPasses, more);
    }
}
