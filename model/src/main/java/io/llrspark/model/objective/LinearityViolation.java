package io.llrspark.model.objective;

import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradients;
import io.llrspark.model.net.Pass;
import io.llrspark.model.perturb.LinfBall;
import io.llrspark.model.perturb.ProjectedAscent;
import io.llrspark.model.perturb.StepRule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.SplittableRandom;

/**
 * The linearity violation g(δ) = ℓ(x+δ) − ℓ(x) − δᵀ∇ₓℓ(x) and its maximization over the ε-ball: LLR's inner problem
 * and, on test data, the local-linearity measure γ(ε, x).
 */
public final class LinearityViolation {

    private LinearityViolation() {
    }

    /** g(δ) per example [N]. */
    public static INDArray of(INDArray lossPerturbed, INDArray lossClean, INDArray delta, INDArray gradX) {
        return lossPerturbed.sub(lossClean).subi(perExampleDot(delta, gradX));
    }

    /** The δ reached by {@code steps} projected steps ascending |g| from a uniform random start. */
    public static INDArray maximize(Classifier net, INDArray x, INDArray y, INDArray lossX, INDArray gradX, double eps,
                                    int steps, StepRule rule, SplittableRandom random, BatchStatistics statistics) {
        INDArray start = LinfBall.uniformStart(x, eps, random);
        return ProjectedAscent.run(x, start, eps, steps, rule, d -> {
            Pass p = net.inputPass(x.add(d), LogitGradients.crossEntropy(y), statistics);
            INDArray g = of(LogitGradients.crossEntropyValues(p.logits(), y), lossX, d, gradX);
            // ∇δ|g| = sign(g)·(∇ₓℓ(x+δ) − ∇ₓℓ(x))
            return scaleEach(p.inputGradient().sub(gradX), Transforms.sign(g, true));
        });
    }

    /** Multiplies each example (first dimension) of {@code a}, in place, by its weight [N]; returns {@code a}. */
    public static INDArray scaleEach(INDArray a, INDArray weights) {
        Nd4j.getExecutioner().exec(new BroadcastMulOp(a, weights.reshape(-1).castTo(a.dataType()), a, 0));
        return a;
    }

    /** Σ over each example's coordinates of a ⊙ b [N]. */
    public static INDArray perExampleDot(INDArray a, INDArray b) {
        long n = a.size(0);
        return a.reshape(n, a.length() / n).mul(b.reshape(n, b.length() / n)).sum(1);
    }
}
