package io.llrspark.model.net.layers;

import io.llrspark.model.net.kernels.VectorBatchNorm;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Batch normalization on NCHW float arrays as {@link VectorBatchNorm}'s kernels: one sweep per sum or map. */
final class VectorBatchNormArithmetic implements BatchNormArithmetic {
    static final VectorBatchNormArithmetic INSTANCE = new VectorBatchNormArithmetic();

    private VectorBatchNormArithmetic() {
    }

    @Override
    public INDArray[] statistics(INDArray x, int[] dims, DataType type) {
        double[] mean = new double[(int) x.size(1)];
        double[] var = new double[mean.length];
        VectorBatchNorm.statistics(x, mean, var);
        try (MemoryWorkspace outside = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            return new INDArray[]{Nd4j.createFromArray(mean).castTo(type), Nd4j.createFromArray(var).castTo(type)};
        }
    }

    /** y = a·x + (beta − a·mean) with a = gamma/sigma. */
    @Override
    public void normalize(INDArray x, INDArray mean, INDArray var, INDArray gamma, INDArray beta, double eps,
                          INDArray out) {
        float[] a = BatchNormArithmetic.scale(var, gamma, eps);
        float[] m = mean.toFloatVector();
        float[] b = beta.toFloatVector();
        float[] shift = new float[a.length];
        for (int c = 0; c < a.length; c++) {
            shift[c] = b[c] - a[c] * m[c];
        }
        VectorBatchNorm.affine(x, a, shift, out);
    }

    /** dx = (gamma/sigma)·(epsilon − mean(epsilon) − x̂·mean(epsilon·x̂)), written as a·epsilon + b·x + d from two sums. */
    @Override
    public void liveBackward(INDArray x, INDArray epsilon, INDArray mean, INDArray var, INDArray gamma, INDArray beta,
                             double eps, INDArray dx, INDArray dGamma, INDArray dBeta) {
        int channels = (int) x.size(1);
        float[] m = mean.toFloatVector();
        float[] v = var.toFloatVector();
        float[] g = gamma.toFloatVector();
        double[] sumEps = new double[channels];
        double[] sumEpsCentred = new double[channels];
        VectorBatchNorm.gradientSums(x, epsilon, m, sumEps, sumEpsCentred);
        double count = (double) x.length() / channels;
        float[] a = new float[channels];
        float[] b = new float[channels];
        float[] d = new float[channels];
        for (int c = 0; c < channels; c++) {
            double sigma = Math.sqrt(v[c] + eps);
            double dg = sumEpsCentred[c] / sigma;
            a[c] = (float) (g[c] / sigma);
            b[c] = (float) (-g[c] * dg / (count * sigma * sigma));
            d[c] = (float) (-g[c] * sumEps[c] / (count * sigma) + g[c] * dg * m[c] / (count * sigma * sigma));
        }
        VectorBatchNorm.combine(epsilon, x, a, b, d, dx);
        assignGammaBeta(sumEps, sumEpsCentred, v, eps, dGamma, dBeta);
    }

    @Override
    public void fixedWeightGradients(INDArray x, INDArray epsilon, INDArray mean, INDArray var, double eps, int[] dims,
                                     INDArray dGamma, INDArray dBeta) {
        int channels = (int) x.size(1);
        double[] sumEps = new double[channels];
        double[] sumEpsCentred = new double[channels];
        VectorBatchNorm.gradientSums(x, epsilon, mean.toFloatVector(), sumEps, sumEpsCentred);
        assignGammaBeta(sumEps, sumEpsCentred, var.toFloatVector(), eps, dGamma, dBeta);
    }

    @Override
    public void fixedInputGradient(INDArray epsilon, INDArray var, INDArray gamma, double eps, INDArray dx) {
        VectorBatchNorm.affine(epsilon, BatchNormArithmetic.scale(var, gamma, eps), new float[(int) epsilon.size(1)],
                dx);
    }

    /** dGamma = Σ epsilon·(x − mean) / sigma and dBeta = Σ epsilon per channel, from the kernel's sums. */
    private static void assignGammaBeta(double[] sumEps, double[] sumEpsCentred, float[] var, double eps,
                                        INDArray dGamma, INDArray dBeta) {
        float[] gGamma = new float[sumEps.length];
        float[] gBeta = new float[sumEps.length];
        for (int c = 0; c < gGamma.length; c++) {
            gGamma[c] = (float) (sumEpsCentred[c] / Math.sqrt(var[c] + eps));
            gBeta[c] = (float) sumEps[c];
        }
        dGamma.assign(Nd4j.createFromArray(gGamma).reshape(dGamma.shape()));
        dBeta.assign(Nd4j.createFromArray(gBeta).reshape(dBeta.shape()));
    }
}
