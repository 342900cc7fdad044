package io.llrspark.model.objective;

import io.llrspark.model.net.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;

/**
 * A training objective: given a batch, the weight gradient to descend and the step's diagnostics. Objectives know
 * nothing of optimizers, data or devices; the local trainer, the Spark worker and the benchmarks all call this.
 * Immutable and serializable: built once from the configuration, and shipped as built to the Spark workers.
 */
public interface TrainingObjective extends Serializable {

    /** Stable name used in configs, metrics and reports. */
    String name();

    /**
     * @param x images [N, C, H, W] in [0, 1]
     * @param y one-hot labels [N, classes]
     * @return the weight gradient summed over the batch (DL4J's updater divides by N) and the diagnostics
     */
    StepResult step(Classifier net, INDArray x, INDArray y, StepContext context);
}
