package io.llrspark.model.attack;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The difference-of-logits-ratio losses of Croce & Hein (2020), invariant to shifting and scaling the logits (so a
 * saturated softmax cannot flatten them), with π the classes sorted by logit, largest first:
 * <ul>
 *   <li>untargeted: −(z_y − max_{i≠y} z_i) / (z_π1 − z_π3 + 1e-12), at least 3 classes;</li>
 *   <li>targeted at t: −(z_y − z_t) / (z_π1 − (z_π3 + z_π4)/2 + 1e-12), at least 4 classes.</li>
 * </ul>
 * The gradient of −N/D is −∇N/D + N·∇D/D²; each row sums to zero, as every logit gradient must.
 */
final class DlrLoss implements AttackLoss {
    private static final double TINY = 1e-12;
    private final int[] labels;
    /** The target per example, or null for the untargeted loss. */
    private final int[] targets;

    private DlrLoss(int[] labels, int[] targets) {
        this.labels = labels;
        this.targets = targets;
    }

    static DlrLoss untargeted(INDArray oneHot) {
        requireClasses(oneHot, 3, "DLR");
        return new DlrLoss(Labels.of(oneHot), null);
    }

    static DlrLoss targeted(INDArray oneHot, int[] targets) {
        requireClasses(oneHot, ApgdTargetedAttack.MIN_CLASSES, "targeted DLR");
        return new DlrLoss(Labels.of(oneHot), targets.clone());
    }

    private static void requireClasses(INDArray oneHot, int least, String what) {
        if (oneHot.size(1) < least) {
            throw new IllegalArgumentException(what + " needs at least " + least + " classes, got " + oneHot.size(1));
        }
    }

    @Override
    public INDArray values(INDArray logits) {
        double[][] z = logits.toDoubleMatrix();
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            Row r = row(z[i], i);
            out[i] = -r.numerator / r.denominator;
        }
        return Nd4j.createFromArray(out).castTo(logits.dataType());
    }

    @Override
    public INDArray of(INDArray logits) {
        double[][] z = logits.toDoubleMatrix();
        double[][] g = new double[z.length][z.length == 0 ? 0 : z[0].length];
        for (int i = 0; i < z.length; i++) {
            Row r = row(z[i], i);
            double d = r.denominator;
            // −∇N / D: N = z_y − z_other
            g[i][labels[i]] -= 1 / d;
            g[i][r.other] += 1 / d;
            // + N·∇D / D²
            double s = r.numerator / (d * d);
            g[i][r.top[0]] += s;
            if (targets == null) {
                g[i][r.top[2]] -= s;
            } else {
                g[i][r.top[2]] -= s / 2;
                g[i][r.top[3]] -= s / 2;
            }
        }
        return Nd4j.createFromArray(g).castTo(logits.dataType());
    }

    private record Row(double numerator, double denominator, int other, int[] top) {
    }

    private Row row(double[] z, int i) {
        int[] top = top(z, targets == null ? 3 : 4);
        int y = labels[i];
        int other = targets != null ? targets[i] : (top[0] == y ? top[1] : top[0]);
        double denominator = targets == null ? z[top[0]] - z[top[2]] + TINY
                : z[top[0]] - (z[top[2]] + z[top[3]]) / 2 + TINY;
        return new Row(z[y] - z[other], denominator, other, top);
    }

    /** The indices of the k largest values, largest first (ties: the lower index first). */
    static int[] top(double[] z, int k) {
        int[] top = new int[k];
        boolean[] taken = new boolean[z.length];
        for (int j = 0; j < k; j++) {
            int best = -1;
            for (int c = 0; c < z.length; c++) {
                if (!taken[c] && (best < 0 || z[c] > z[best])) {
                    best = c;
                }
            }
            taken[best] = true;
            top[j] = best;
        }
        return top;
    }
}
