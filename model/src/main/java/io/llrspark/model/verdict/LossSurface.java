package io.llrspark.model.verdict;

import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradients;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The cross-entropy loss around one input over the plane spanned by the sign of its input gradient and a random sign
 * direction, x + a·sign(∇ₓℓ) + b·r clipped to the image box, for a and b on a grid over [−radius, radius]: the picture
 * that shows a smooth surface (the loss rising steadily along the gradient) against the crumpled one of a model that
 * masks its gradients (the gradient direction a local bump, higher loss a little further away).
 */
public final class LossSurface {
    private static final int CHUNK = 256;

    private LossSurface() {
    }

    /**
     * @param x one input [1, ...] in [0, 1]; {@code y} its one-hot label [1, classes]
     * @return loss[i][j] at a = grid value i (gradient direction), b = grid value j (random direction)
     */
    public static double[][] around(Classifier net, INDArray x, INDArray y, double radius, int grid, long seed) {
        INDArray g = Transforms.sign(net.inputPass(x, LogitGradients.crossEntropy(y), BatchStatistics.MOVING_AVERAGE)
                .inputGradient(), true);
        SplittableRandom random = new SplittableRandom(seed);
        double[] signs = new double[(int) x.length()];
        for (int k = 0; k < signs.length; k++) {
            signs[k] = random.nextBoolean() ? 1 : -1;
        }
        INDArray r = Nd4j.create(signs, x.shape(), 'c').castTo(x.dataType());
        long d = x.length();
        INDArray flatX = x.reshape(1, d);
        INDArray flatG = g.reshape(1, d);
        INDArray flatR = r.reshape(1, d);
        int cells = grid * grid;
        double[] loss = new double[cells];
        for (int start = 0; start < cells; start += CHUNK) {
            int m = Math.min(CHUNK, cells - start);
            double[] a = new double[m];
            double[] b = new double[m];
            for (int k = 0; k < m; k++) {
                a[k] = coordinate(radius, grid, (start + k) / grid);
                b[k] = coordinate(radius, grid, (start + k) % grid);
            }
            INDArray ca = Nd4j.createFromArray(a).castTo(x.dataType()).reshape(m, 1);
            INDArray cb = Nd4j.createFromArray(b).castTo(x.dataType()).reshape(m, 1);
            INDArray inputs = flatX.broadcast(m, d).add(ca.mmul(flatG)).addi(cb.mmul(flatR));
            inputs = Transforms.max(Transforms.min(inputs, 1.0, false), 0.0, false);
            long[] shape = x.shape().clone();
            shape[0] = m;
            INDArray labels = y.reshape(1, y.length()).broadcast(m, y.length());
            double[] values = LogitGradients.crossEntropyValues(net.logits(inputs.reshape(shape),
                    BatchStatistics.MOVING_AVERAGE), labels).toDoubleVector();
            System.arraycopy(values, 0, loss, start, m);
        }
        double[][] out = new double[grid][grid];
        for (int k = 0; k < cells; k++) {
            out[k / grid][k % grid] = loss[k];
        }
        return out;
    }

    /** Grid value i of {@code grid} evenly spaced over [−radius, radius]. */
    public static double coordinate(double radius, int grid, int i) {
        return grid == 1 ? 0 : -radius + 2 * radius * i / (grid - 1);
    }

    /** The half-width of the plane: the largest evaluated ε. */
    public static double radius(List<Double> epsilons) {
        return epsilons.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
