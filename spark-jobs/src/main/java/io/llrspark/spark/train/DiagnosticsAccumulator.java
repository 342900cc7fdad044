package io.llrspark.spark.train;

import io.llrspark.model.train.DiagnosticsAverage;
import org.apache.spark.TaskContext;
import org.apache.spark.util.AccumulatorV2;

import java.util.Map;
import java.util.TreeMap;

/**
 * Sums the step diagnostics (CE, γ, |δᵀ∇ℓ|, ...) of every worker into the driver's figures. Updated inside training
 * tasks, which Spark may run twice to success (a stage recomputed after an executor was lost with its output, or
 * a speculative copy): the sums are kept per partition and a partition's later result replaces its earlier one, so
 * a round's figures count each worker's steps once.
 */
public final class DiagnosticsAccumulator extends AccumulatorV2<DiagnosticsAverage, DiagnosticsAverage> {
    private Map<Integer, DiagnosticsAverage> byPartition = new TreeMap<>();

    @Override
    public boolean isZero() {
        return byPartition.isEmpty();
    }

    @Override
    public AccumulatorV2<DiagnosticsAverage, DiagnosticsAverage> copy() {
        DiagnosticsAccumulator c = new DiagnosticsAccumulator();
        byPartition.forEach((p, d) -> c.byPartition.put(p, d.copy()));
        return c;
    }

    @Override
    public void reset() {
        byPartition = new TreeMap<>();
    }

    /** Adds one task's step to its partition's sums (partition -1 outside a task). */
    @Override
    public void add(DiagnosticsAverage v) {
        TaskContext task = TaskContext.get();
        byPartition.computeIfAbsent(task == null ? -1 : task.partitionId(), p -> new DiagnosticsAverage()).merge(v);
    }

    /** Takes a finished task's sums: a partition counted already is replaced, not added again. */
    @Override
    public void merge(AccumulatorV2<DiagnosticsAverage, DiagnosticsAverage> other) {
        ((DiagnosticsAccumulator) other).byPartition.forEach((p, d) -> byPartition.put(p, d.copy()));
    }

    @Override
    public DiagnosticsAverage value() {
        DiagnosticsAverage sum = new DiagnosticsAverage();
        byPartition.values().forEach(sum::merge);
        return sum;
    }
}
