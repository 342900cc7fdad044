package io.llrspark.model.objective;

import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.Pass;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The weighted sum of several passes' weight gradients. Moving-average pseudo-gradients (batch normalization) are
 * not gradients: they come, unscaled, from the one pass whose batch statistics should update the averages.
 */
final class GradientSum {
    private final INDArray sum;
    private final INDArray regular;

    /** Starts from {@code statisticsPass}, its real gradient scaled by {@code weight}, its pseudo-gradients as they are. */
    GradientSum(Classifier net, Pass statisticsPass, double weight) {
        INDArray pseudo = net.pseudoGradientMask();
        this.regular = pseudo.rsub(1.0);
        INDArray g = statisticsPass.paramGradient().reshape(pseudo.shape());
        this.sum = g.mul(regular).muli(weight).addi(g.mul(pseudo));
    }

    /** Adds a pass's real gradient (its rows already weighted through the logit rule); ignores its pseudo-gradients. */
    GradientSum add(Pass pass) {
        sum.addi(pass.paramGradient().reshape(regular.shape()).mul(regular));
        return this;
    }

    INDArray total() {
        return sum;
    }
}
