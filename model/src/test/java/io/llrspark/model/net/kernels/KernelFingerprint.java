package io.llrspark.model.net.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Every Vector API kernel run once on fixed pseudo-random data, each output reduced to its sum: what a JVM with other
 * vector settings must reproduce to float rounding ({@link VectorWidthTest}). Prints "kernels off" where
 * {@link VectorSupport#AVAILABLE} is false.
 */
public final class KernelFingerprint {
    private KernelFingerprint() {
    }

    public static void main(String[] args) {
        if (!VectorSupport.AVAILABLE) {
            System.out.println("kernels off");
            return;
        }
        System.out.println("lanes " + VectorKernels.SPECIES.length());
        compute().forEach((name, sum) -> System.out.println(name + " " + sum));
    }

    /** Each output's sum, by name, in a fixed order. */
    static Map<String, Double> compute() {
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

        Map<String, Double> sums = new LinkedHashMap<>();
        sums.put("mean", Arrays.stream(mean).sum());
        sums.put("var", Arrays.stream(var).sum());
        sums.put("sumEps", Arrays.stream(sumEps).sum());
        sums.put("sumEpsCentred", Arrays.stream(sumEpsCentred).sum());
        String[] names = {"combine", "softplus", "sigmoid", "conv", "weightGradient", "biasGradient", "inputGradient"};
        INDArray[] outputs = {combined, softplus, sigmoid, z, gw, gb, dx};
        for (int i = 0; i < names.length; i++) {
            sums.put(names[i], outputs[i].castTo(DataType.DOUBLE).sumNumber().doubleValue());
        }
        return sums;
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
