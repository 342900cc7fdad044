package io.llrspark.model.net;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Per-example losses on logits and their logit gradients (each row sums to zero, see {@link LogitGradient}).
 * Values are [N] vectors; one-hot labels are [N, C].
 */
public final class LogitGradients {

    private LogitGradients() {
    }

    /** ∂ℓ/∂z of cross-entropy: softmax(z) − y. */
    public static LogitGradient crossEntropy(INDArray oneHot) {
        return logits -> Transforms.softmax(logits, true).subi(oneHot.castTo(logits.dataType()));
    }

    /** ∂/∂z of the margin max_{j≠y} z_j − z_y: e_{j*} − e_y. */
    public static LogitGradient margin(INDArray oneHot) {
        return logits -> {
            INDArray y = oneHot.castTo(logits.dataType());
            INDArray best = Nd4j.zeros(logits.dataType(), logits.shape());
            int[] runnerUp = bestOther(logits, y);
            for (int i = 0; i < runnerUp.length; i++) {
                best.putScalar(i, runnerUp[i], 1.0);
            }
            return best.subi(y);
        };
    }

    /** ∂/∂z of z_t − z_y for a target class per example: e_t − e_y. */
    public static LogitGradient targeted(INDArray oneHot, int[] targets) {
        return logits -> {
            INDArray g = Nd4j.zeros(logits.dataType(), logits.shape());
            for (int i = 0; i < targets.length; i++) {
                g.putScalar(i, targets[i], 1.0);
            }
            return g.subi(oneHot.castTo(logits.dataType()));
        };
    }

    /** ∂/∂z of KL(p ‖ softmax(z)) for a fixed distribution p: softmax(z) − p. */
    public static LogitGradient klTo(INDArray p) {
        return logits -> Transforms.softmax(logits, true).subi(p.castTo(logits.dataType()));
    }

    /** The rule with each example's row scaled by its weight [N]. */
    public static LogitGradient weighted(LogitGradient rule, INDArray weights) {
        return logits -> rule.of(logits).muliColumnVector(weights.reshape(weights.length(), 1).castTo(logits.dataType()));
    }

    /** The rule with every row scaled by one weight. */
    public static LogitGradient scaled(LogitGradient rule, double weight) {
        return logits -> rule.of(logits).muli(weight);
    }

    /** Per-example cross-entropy [N]. */
    public static INDArray crossEntropyValues(INDArray logits, INDArray oneHot) {
        return SoftmaxCrossEntropyLoss.logSoftmax(logits).muli(oneHot.castTo(logits.dataType())).sum(1).negi();
    }

    /** Per-example margin max_{j≠y} z_j − z_y [N]: positive means misclassified. */
    public static INDArray marginValues(INDArray logits, INDArray oneHot) {
        INDArray y = oneHot.castTo(logits.dataType());
        int[] runnerUp = bestOther(logits, y);
        INDArray trueLogit = logits.mul(y).sum(1);
        INDArray out = Nd4j.create(logits.dataType(), runnerUp.length);
        for (int i = 0; i < runnerUp.length; i++) {
            out.putScalar(i, logits.getDouble(i, runnerUp[i]) - trueLogit.getDouble(i));
        }
        return out;
    }

    /** Per-example KL(p ‖ softmax(z)) [N]. */
    public static INDArray klValues(INDArray p, INDArray logits) {
        INDArray pp = p.castTo(logits.dataType());
        INDArray logP = Transforms.log(Transforms.max(pp, 1e-30, true), false);
        return logP.subi(SoftmaxCrossEntropyLoss.logSoftmax(logits)).muli(pp).sum(1);
    }

    public static INDArray softmax(INDArray logits) {
        return Transforms.softmax(logits, true);
    }

    /** Index of the largest logit other than the true class, per example. */
    private static int[] bestOther(INDArray logits, INDArray oneHot) {
        // Push the true class far below every other logit (1e30 is representable in float32), then take the arg max.
        INDArray masked = logits.sub(oneHot.mul(1e30));
        long[] idx = masked.argMax(1).toLongVector();
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = (int) idx[i];
        }
        return out;
    }
}
