package io.llrspark.model.net;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The gradient, with respect to the logits, of the per-example quantity a pass differentiates; it may depend on the
 * pass's own logits. Every row must sum to zero (true of any function of softmax or of logit differences), see
 * {@link SoftmaxCrossEntropyLoss}. Per-example weights are just scaled rows.
 */
@FunctionalInterface
public interface LogitGradient {
    INDArray of(INDArray logits);
}
