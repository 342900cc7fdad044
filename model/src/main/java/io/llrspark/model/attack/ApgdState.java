package io.llrspark.model.attack;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One APGD run's per-example points as Java arrays, one row of d values per example: the step's arithmetic (the
 * projected sign step, momentum, the second projection, keeping rows) in one loop over them instead of some twenty
 * whole-batch array operations, which cost APGD a sixth of its speed against PGD's single projected step. Only the
 * network's passes go through ND4J.
 */
final class ApgdState {
    final int n;
    final int d;
    private final double eps;
    private final double[] x;
    final double[] delta;
    private final double[] previous;
    final double[] best;
    final double[] broken;
    final double[] gradient;
    final double[] bestGradient;
    private final INDArray like;

    /** @param x the clean batch; {@code start} the first δ (in the ball and the box) */
    ApgdState(INDArray x, INDArray start, double eps) {
        this.n = (int) x.size(0);
        this.d = (int) (x.length() / n);
        this.eps = eps;
        this.like = x;
        this.x = x.dup('c').data().asDouble();
        this.delta = start.dup('c').data().asDouble();
        this.previous = delta.clone();
        this.best = delta.clone();
        this.broken = delta.clone();
        this.gradient = new double[n * d];
        this.bestGradient = new double[n * d];
    }

    /** x + δ, as the network takes it (its type and shape). */
    INDArray input() {
        return array(sum(delta));
    }

    /** x + {@code rows} (δ's of this shape) as the network takes it. */
    INDArray inputOf(double[] rows) {
        return array(sum(rows));
    }

    void gradient(INDArray g) {
        System.arraycopy(g.dup('c').data().asDouble(), 0, gradient, 0, gradient.length);
    }

    /**
     * δ ← P(δ + a·(P(δ + η·sign g) − δ) + (1 − a)·(δ − δ_prev)), P the projection onto the ball and the box; the
     * previous δ becomes δ_prev.
     */
    void step(double[] eta, double a) {
        for (int i = 0; i < n; i++) {
            double step = eta[i];
            for (int j = i * d, end = j + d; j < end; j++) {
                double lo = Math.max(-eps, -x[j]);
                double hi = Math.min(eps, 1 - x[j]);
                double now = delta[j];
                double g = gradient[j];
                double z = clip(now + (g > 0 ? step : g < 0 ? -step : 0), lo, hi);
                double next = clip(now + a * (z - now) + (1 - a) * (now - previous[j]), lo, hi);
                previous[j] = now;
                delta[j] = next;
            }
        }
    }

    /** Rows of {@code target} replaced by {@code source}'s where {@code take} is set. */
    void take(double[] target, double[] source, boolean[] take) {
        for (int i = 0; i < n; i++) {
            if (take[i]) {
                System.arraycopy(source, i * d, target, i * d, d);
            }
        }
    }

    private static double clip(double v, double lo, double hi) {
        return v < lo ? lo : v > hi ? hi : v;
    }

    private double[] sum(double[] rows) {
        double[] out = new double[rows.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = x[j] + rows[j];
        }
        return out;
    }

    private INDArray array(double[] values) {
        return Nd4j.create(values, like.shape(), 'c').castTo(like.dataType());
    }
}
