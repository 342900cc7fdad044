package io.llrspark.model.net;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Random;

/**
 * Every Vector API kernel run once on fixed pseudo-random data, its outputs reduced to one hash of their bits: what a
 * JVM with other vector settings must reproduce exactly ({@link VectorWidthTest}). Prints "kernels off" where
 * {@link VectorSupport#AVAILABLE} is false.
 */
public final class KernelFingerprint {
    private KernelFingerprint() {
    }

    public static void main(String[] args) {
        System.out.println(VectorSupport.AVAILABLE ? "fingerprint " + compute() : "kernels off");
    }

    static String compute() {
        Random random = new Random(20261202);
        // Planes of 37 and 28×28 elements: several vectors of any width, and tails.
        INDArray x = filled(random, 100, 3, 4, 37, 1);
        INDArray eps = filled(random, 1, 3, 4, 37, 1);
        double[] mean = new double[4];
        double[] var = new double[4];
        VectorBatchNorm.statistics(x, mean, var);
        double[] sumEps = new double[4];
        double[] sumEpsCentred = new double[4];
        VectorBatchNorm.gradientSums(x, eps, new float[]{0.5f, -2f, 3f, 0f}, sumEps, sumEpsCentred);
        INDArray combined = Nd4j.create(DataType.FLOAT, 3, 4, 37, 1);
        VectorBatchNorm.combine(x, eps, new float[]{1f, 2f, 3f, 4f}, new float[]{-1f, 0.5f, 2f, 1f},
                new float[]{0f, 1f, -1f, 2f}, combined);
        INDArray softplus = Nd4j.create(DataType.FLOAT, 3, 4, 37, 1);
        VectorSoftPlus.forward(x.div(10), softplus);
        INDArray sigmoid = Nd4j.create(DataType.FLOAT, 3, 4, 37, 1);
        VectorSoftPlus.backward(x.div(10), eps, sigmoid);

        INDArray image = filled(random, 1, 4, 1, 28, 28);
        INDArray w = filled(random, 1, 8, 1, 3, 3);
        INDArray b = filled(random, 1, 8);
        INDArray z = Nd4j.create(DataType.FLOAT, 4, 8, 28, 28);
        VectorConvolution.forward(image, w, b, z);
        INDArray delta = filled(random, 1, 4, 8, 28, 28);
        INDArray gw = Nd4j.create(DataType.FLOAT, 8, 1, 3, 3);
        INDArray gb = Nd4j.create(DataType.FLOAT, 8);
        VectorConvolution.weightGradient(image, delta, gw, gb);
        INDArray dx = Nd4j.create(DataType.FLOAT, 4, 1, 28, 28);
        VectorConvolution.inputGradient(delta, w, dx);

        int h = Arrays.hashCode(mean);
        h = 31 * h + Arrays.hashCode(var);
        h = 31 * h + Arrays.hashCode(sumEps);
        h = 31 * h + Arrays.hashCode(sumEpsCentred);
        for (INDArray a : new INDArray[]{combined, softplus, sigmoid, z, gw, gb, dx}) {
            h = 31 * h + Arrays.hashCode(a.reshape(a.length()).toFloatVector());
        }
        return Integer.toHexString(h);
    }

    private static INDArray filled(Random random, float scale, long... shape) {
        INDArray a = Nd4j.create(DataType.FLOAT, shape);
        float[] v = new float[(int) a.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (random.nextFloat() - 0.5f) * scale;
        }
        return Nd4j.createFromArray(v).reshape(shape);
    }
}
