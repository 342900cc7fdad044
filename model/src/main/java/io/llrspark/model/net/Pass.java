package io.llrspark.model.net;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One forward/backward pass: the logits, the gradient with respect to the input and the flat weight gradient
 * (summed over the batch, as DL4J's updater expects; moving-average entries are pseudo-gradients). All are copies.
 */
public record Pass(INDArray logits, INDArray inputGradient, INDArray paramGradient) {
}
