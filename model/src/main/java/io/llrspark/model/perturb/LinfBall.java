package io.llrspark.model.perturb;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.SplittableRandom;

/** The feasible set of every perturbation here: ‖δ‖∞ ≤ ε and x + δ ∈ [0, 1]. */
public final class LinfBall {

    private LinfBall() {
    }

    /** Projects δ in place onto the ball intersected with the image box and returns it. */
    public static INDArray project(INDArray x, INDArray delta, double eps) {
        Transforms.min(delta, eps, false);
        Transforms.max(delta, -eps, false);
        INDArray adv = x.add(delta);
        Transforms.min(adv, 1.0, false);
        Transforms.max(adv, 0.0, false);
        return delta.assign(adv.subi(x));
    }

    /** δ uniform in [−ε, ε] per coordinate, projected; drawn from {@code random} so runs are reproducible. */
    public static INDArray uniformStart(INDArray x, double eps, SplittableRandom random) {
        double[] values = new double[(int) x.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (2 * random.nextDouble() - 1) * eps;
        }
        return project(x, Nd4j.create(values, x.shape(), 'c').castTo(x.dataType()), eps);
    }

    /** δ with independent N(0, σ²) coordinates, projected (TRADES's start). */
    public static INDArray gaussianStart(INDArray x, double sigma, double eps, SplittableRandom random) {
        double[] values = new double[(int) x.length()];
        java.util.Random gaussian = new java.util.Random(random.nextLong());
        for (int i = 0; i < values.length; i++) {
            values[i] = gaussian.nextGaussian() * sigma;
        }
        return project(x, Nd4j.create(values, x.shape(), 'c').castTo(x.dataType()), eps);
    }

    /** Max over coordinates of |δ| per example [N]. */
    public static INDArray linfNorms(INDArray delta) {
        return Transforms.abs(delta.reshape(delta.size(0), delta.length() / delta.size(0)), true).max(1);
    }
}
