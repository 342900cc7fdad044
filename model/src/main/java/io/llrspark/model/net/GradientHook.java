package io.llrspark.model.net;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a network's {@code fit()} descends in place of DL4J's loss gradient, so that DL4J's own training loops (local,
 * or Spark's parameter-averaging worker) train with it unchanged. The objectives provide one
 * ({@code objective.ObjectiveHook}); networks know nothing of objectives.
 */
public interface GradientHook {

    /**
     * @param iteration the optimizer step this gradient is for (what ε warm-up and random starts derive from)
     * @return the weight gradient, flat and summed over the batch (DL4J's updater divides by N), with batch
     * normalization's moving-average updates as pseudo-gradients
     */
    INDArray gradient(Classifier net, INDArray x, INDArray y, long iteration);

    /** The loss of the batch {@link #gradient} last saw: what DL4J reports as the network's score. */
    double lastScore();
}
