package io.llrspark.model.objective;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A flat weight gradient (summed over the batch, moving-average entries as pseudo-gradients) and diagnostics. */
public record StepResult(INDArray gradient, StepDiagnostics diagnostics) {
}
