package io.llrspark.model.objective;

import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradients;
import io.llrspark.model.net.Pass;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Σᵢ (αᵢ∇θℓᵢ(x) + kᵢ∇θDᵢ) with Dᵢ = δᵢᵀ∇ₓℓᵢ(x), without double backprop: ∇θD is the derivative of ∇θℓ(x + hδ) at
 * h = 0, so two passes at x ± hδ weighted (α ± k/h)/2 give it up to O(h²) (see docs/objectives.md for the choice of h).
 */
public final class MixedDerivative {

    private MixedDerivative() {
    }

    /**
     * The two passes as one over the stacked batch [x + hδ; x − hδ] when the statistics are per example (no batch
     * normalization, or fixed statistics): the same arithmetic in half the operations. Its weight gradient is the
     * estimate.
     */
    public static Pass pass(Classifier net, INDArray x, INDArray y, INDArray delta, INDArray alpha, INDArray k,
                            double h, BatchStatistics statistics) {
        INDArray kOverH = k.div(h);
        INDArray plusWeight = alpha.add(kOverH).muli(0.5);
        INDArray minusWeight = alpha.sub(kOverH).muli(0.5);
        INDArray plusX = x.add(delta.mul(h));
        INDArray minusX = x.sub(delta.mul(h));
        if (statistics == BatchStatistics.LIVE && net.hasBatchNormalization()) {
            // Batch statistics would mix the two halves: two passes, each with its own batch.
            Pass plus = net.weightPass(plusX, LogitGradients.weighted(LogitGradients.crossEntropy(y), plusWeight), statistics);
            Pass minus = net.weightPass(minusX, LogitGradients.weighted(LogitGradients.crossEntropy(y), minusWeight),
                    statistics);
            return new Pass(null, null, plus.paramGradient().addi(minus.paramGradient()));
        }
        INDArray weights = Nd4j.concat(0, plusWeight.reshape(-1), minusWeight.reshape(-1));
        return net.weightPass(Nd4j.concat(0, plusX, minusX),
                LogitGradients.weighted(LogitGradients.crossEntropy(Nd4j.concat(0, y, y)), weights), statistics);
    }
}
