package io.llrspark.model.attack;

import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradients;
import io.llrspark.model.net.Pass;
import io.llrspark.model.objective.LinearityViolation;
import io.llrspark.model.perturb.StepRule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.SplittableRandom;

/**
 * γ(ε, x) = max over the ε-ball of |ℓ(x+δ) − ℓ(x) − δᵀ∇ₓℓ(x)| on test data, in inference mode: what LLR drives down,
 * and a first diagnostic of gradient obfuscation (a model whose loss is far from linear in the ball has gradients an
 * attack cannot trust). Found by the same search LLR trains with, with more steps.
 */
public final class LocalLinearityMeasure {

    private final int steps;
    private final double stepFactor;

    public LocalLinearityMeasure(int steps, double stepFactor) {
        this.steps = steps;
        this.stepFactor = stepFactor;
    }

    /** γ per example [N]. */
    public INDArray measure(Classifier net, INDArray x, INDArray y, double eps, long seed) {
        if (eps <= 0) {
            return x.mul(0).reshape(x.size(0), -1).sum(1);
        }
        Pass clean = net.inputPass(x, LogitGradients.crossEntropy(y), BatchStatistics.MOVING_AVERAGE);
        INDArray lossX = LogitGradients.crossEntropyValues(clean.logits(), y);
        INDArray delta = LinearityViolation.maximize(net, x, y, lossX, clean.inputGradient(), eps, steps,
                new StepRule.Sign(stepFactor * eps / steps), new SplittableRandom(seed), BatchStatistics.MOVING_AVERAGE);
        INDArray lossD = LogitGradients.crossEntropyValues(net.logits(x.add(delta), BatchStatistics.MOVING_AVERAGE), y);
        return Transforms.abs(LinearityViolation.of(lossD, lossX, delta, clean.inputGradient()), false);
    }
}
