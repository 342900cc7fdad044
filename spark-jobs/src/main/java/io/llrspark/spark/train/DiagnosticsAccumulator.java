package io.llrspark.spark.train;

import io.llrspark.model.train.DiagnosticsAverage;
import org.apache.spark.util.AccumulatorV2;

/**
 * Sums the step diagnostics (CE, γ, |δᵀ∇ℓ|, ...) of every worker into the driver's figures. Updated inside training
 * tasks, so a retried task counts twice: diagnostics only, never parameters.
 */
public final class DiagnosticsAccumulator extends AccumulatorV2<DiagnosticsAverage, DiagnosticsAverage> {
    private DiagnosticsAverage sum = new DiagnosticsAverage();

    @Override
    public boolean isZero() {
        return sum.steps() == 0;
    }

    @Override
    public AccumulatorV2<DiagnosticsAverage, DiagnosticsAverage> copy() {
        DiagnosticsAccumulator c = new DiagnosticsAccumulator();
        c.sum = sum.copy();
        return c;
    }

    @Override
    public void reset() {
        sum = new DiagnosticsAverage();
    }

    @Override
    public void add(DiagnosticsAverage v) {
        sum.merge(v);
    }

    @Override
    public void merge(AccumulatorV2<DiagnosticsAverage, DiagnosticsAverage> other) {
        sum.merge(other.value());
    }

    @Override
    public DiagnosticsAverage value() {
        return sum;
    }
}
