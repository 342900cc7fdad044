package io.llrspark.model.net.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The arithmetic of {@link CleanStatsBatchNormLayer} on one pass's arrays, per channel on axis 1, with the statistics
 * the layer's policy chose: the Vector API kernels ({@link VectorBatchNormArithmetic}) or libnd4j's ops
 * ({@link Nd4jBatchNormArithmetic}). The layer picks one per pass, in {@link #of}.
 */
interface BatchNormArithmetic {

    /** The kernels where all the pass's arrays are NCHW floats they can walk, libnd4j's ops otherwise. */
    static BatchNormArithmetic of(boolean nchw, INDArray... arrays) {
        return nchw && arrays[0].rank() == 4 && io.llrspark.model.net.kernels.VectorSupport.applicable(arrays)
                ? VectorBatchNormArithmetic.INSTANCE : Nd4jBatchNormArithmetic.INSTANCE;
    }

    /** The batch's mean and biased (population) variance, as DL4J normalizes with, outside any workspace. */
    INDArray[] statistics(INDArray x, int[] dims, DataType type);

    /** out = gamma·(x − mean)/sqrt(var + eps) + beta. */
    void normalize(INDArray x, INDArray mean, INDArray var, INDArray gamma, INDArray beta, double eps, INDArray out);

    /** The backward pass through batch statistics: dx (through the statistics too), dGamma and dBeta. */
    void liveBackward(INDArray x, INDArray epsilon, INDArray mean, INDArray var, INDArray gamma, INDArray beta,
                      double eps, INDArray dx, INDArray dGamma, INDArray dBeta);

    /** With fixed statistics: dGamma = Σ epsilon·(x − mean)/sigma and dBeta = Σ epsilon. */
    void fixedWeightGradients(INDArray x, INDArray epsilon, INDArray mean, INDArray var, double eps, int[] dims,
                              INDArray dGamma, INDArray dBeta);

    /** With fixed statistics the layer is affine, and so is its input gradient: dx = gamma/sigma · epsilon. */
    void fixedInputGradient(INDArray epsilon, INDArray var, INDArray gamma, double eps, INDArray dx);

    /** gamma / sqrt(var + eps) per channel. */
    static float[] scale(INDArray var, INDArray gamma, double eps) {
        float[] v = var.toFloatVector();
        float[] g = gamma.toFloatVector();
        float[] a = new float[v.length];
        for (int c = 0; c < a.length; c++) {
            a[c] = (float) (g[c] / Math.sqrt(v[c] + eps));
        }
        return a;
    }
}
