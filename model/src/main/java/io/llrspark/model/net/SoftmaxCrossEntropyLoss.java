package io.llrspark.model.net;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.common.primitives.Pair;

/**
 * Cross-entropy on logits, for an output layer with identity activation, so that {@code output()} returns logits
 * (the margin and targeted attacks need them; probabilities underflow).
 *
 * <p>Score is {@code -Σ_j L_j log softmax(z)_j} and the gradient is {@code softmax(z)·ΣL − L}. For one-hot labels this is
 * ordinary cross-entropy. Because it is linear in L, a row of labels {@code −g} with {@code Σg = 0} makes the logit
 * gradient exactly {@code g}: every quantity we differentiate (cross-entropy, margins, KL) is invariant to shifting
 * the logits, so its logit gradient sums to zero and can be injected this way, with any per-example weight.
 */
public class SoftmaxCrossEntropyLoss implements ILossFunction {

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / preOutput.size(0) : sum;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray logits = activationFn.getActivation(preOutput.dup(), true);
        INDArray logSoftmax = logSoftmax(logits);
        INDArray scores = logSoftmax.muli(labels.castTo(logSoftmax.dataType())).sum(1).negi();
        if (mask != null) {
            scores.muli(mask.reshape(mask.length()));
        }
        return scores.reshape(scores.length(), 1);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray logits = activationFn.getActivation(preOutput.dup(), true);
        INDArray l = labels.castTo(logits.dataType());
        INDArray grad = Transforms.softmax(logits, true).muliColumnVector(l.sum(true, 1)).subi(l);
        grad = activationFn.backprop(preOutput.dup(), grad).getFirst();
        if (mask != null) {
            grad.muliColumnVector(mask.reshape(mask.length(), 1).castTo(grad.dataType()));
        }
        return grad;
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    /** Numerically stable log-softmax of a [N, C] array (a new array). */
    public static INDArray logSoftmax(INDArray logits) {
        INDArray max = logits.max(true, 1);
        INDArray shifted = logits.subColumnVector(max);
        INDArray logSumExp = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        return shifted.subiColumnVector(logSumExp);
    }

    @Override
    public String name() {
        return "SoftmaxCrossEntropyLoss";
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SoftmaxCrossEntropyLoss;
    }

    @Override
    public int hashCode() {
        return SoftmaxCrossEntropyLoss.class.hashCode();
    }
}
