package io.llrspark.model.attack;

import io.llrspark.model.net.LogitGradient;
import io.llrspark.model.net.LogitGradients;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A per-example loss an attack ascends whose values it also reads (APGD keeps the best point and halves its step by
 * them): the values [N] and, on the same logits, the logit gradient.
 */
interface AttackLoss extends LogitGradient {

    INDArray values(INDArray logits);

    static AttackLoss crossEntropy(INDArray oneHot) {
        LogitGradient gradient = LogitGradients.crossEntropy(oneHot);
        return new AttackLoss() {
            @Override
            public INDArray values(INDArray logits) {
                return LogitGradients.crossEntropyValues(logits, oneHot);
            }

            @Override
            public INDArray of(INDArray logits) {
                return gradient.of(logits);
            }
        };
    }
}
