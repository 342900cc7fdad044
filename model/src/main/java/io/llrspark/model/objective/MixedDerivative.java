package io.llrspark.model.objective;

import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradients;
import io.llrspark.model.net.Pass;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Σᵢ (αᵢ∇θℓᵢ(x) + kᵢ∇θDᵢ) with Dᵢ = δᵢᵀ∇ₓℓᵢ(x), without double backprop: ∇θD is the derivative of ∇θℓ(x + hδ) at
 * h = 0, so two passes at x ± hδ weighted (α ± k/h)/2 give it up to O(h²) (see docs/objectives.md for the choice of h).
 */
public final class MixedDerivative {

    private MixedDerivative() {
    }

    /** The two passes; their weight gradients sum to the estimate. */
    public static Pass[] passes(Classifier net, INDArray x, INDArray y, INDArray delta, INDArray alpha, INDArray k,
                                double h, BatchStatistics statistics) {
        INDArray kOverH = k.div(h);
        INDArray plusWeight = alpha.add(kOverH).muli(0.5);
        INDArray minusWeight = alpha.sub(kOverH).muli(0.5);
        Pass plus = net.pass(x.add(delta.mul(h)),
                LogitGradients.weighted(LogitGradients.crossEntropy(y), plusWeight), statistics);
        Pass minus = net.pass(x.sub(delta.mul(h)),
                LogitGradients.weighted(LogitGradients.crossEntropy(y), minusWeight), statistics);
        return new Pass[]{plus, minus};
    }
}
