package io.llrspark.model.net.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastDivOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch normalization as libnd4j's batchnorm and batchnorm_bp ops (a single pass each instead of DL4J's chain of
 * broadcast operations), and broadcasts for the fixed-statistics backward pass: any layout, type and back-end.
 */
final class Nd4jBatchNormArithmetic implements BatchNormArithmetic {
    static final Nd4jBatchNormArithmetic INSTANCE = new Nd4jBatchNormArithmetic();
    /** NCHW and [N, C] both keep channels on axis 1. */
    private static final int CHANNEL_AXIS = 1;

    private Nd4jBatchNormArithmetic() {
    }

    @Override
    public INDArray[] statistics(INDArray x, int[] dims, DataType type) {
        return new INDArray[]{x.mean(dims).detach(), x.var(false, dims).detach()};
    }

    @Override
    public void normalize(INDArray x, INDArray mean, INDArray var, INDArray gamma, INDArray beta, double eps,
                          INDArray out) {
        Nd4j.exec(DynamicCustomOp.builder("batchnorm")
                .addInputs(x, mean, var, gamma, beta)
                .addOutputs(out)
                .addIntegerArguments(1, 1, CHANNEL_AXIS)
                .addFloatingPointArguments(eps)
                .build());
    }

    @Override
    public void liveBackward(INDArray x, INDArray epsilon, INDArray mean, INDArray var, INDArray gamma, INDArray beta,
                             double eps, INDArray dx, INDArray dGamma, INDArray dBeta) {
        INDArray dMean = Nd4j.createUninitialized(x.dataType(), mean.length());
        INDArray dVar = Nd4j.createUninitialized(x.dataType(), mean.length());
        INDArray gradOut = Shape.hasDefaultStridesForShape(epsilon) ? epsilon : epsilon.dup('c');
        Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp")
                .addInputs(x, mean, var, gamma, beta, gradOut)
                .addOutputs(dx, dMean, dVar, dGamma.reshape(dGamma.length()), dBeta.reshape(dBeta.length()))
                .addIntegerArguments(1, 1, CHANNEL_AXIS)
                .addFloatingPointArguments(eps)
                .build());
    }

    @Override
    public void fixedWeightGradients(INDArray x, INDArray epsilon, INDArray mean, INDArray var, double eps, int[] dims,
                                     INDArray dGamma, INDArray dBeta) {
        INDArray xHat = x.dup();
        Nd4j.getExecutioner().exec(new BroadcastSubOp(xHat, mean, xHat, CHANNEL_AXIS));
        Nd4j.getExecutioner().exec(new BroadcastDivOp(xHat, sigma(var, eps), xHat, CHANNEL_AXIS));
        dGamma.assign(xHat.muli(epsilon).sum(dims).reshape(dGamma.shape()));
        dBeta.assign(epsilon.sum(dims).reshape(dBeta.shape()));
    }

    @Override
    public void fixedInputGradient(INDArray epsilon, INDArray var, INDArray gamma, double eps, INDArray dx) {
        Nd4j.getExecutioner().exec(new BroadcastMulOp(epsilon, gamma.div(sigma(var, eps)), dx, CHANNEL_AXIS));
    }

    private static INDArray sigma(INDArray var, double eps) {
        return Transforms.sqrt(var.add(eps), false);
    }
}
