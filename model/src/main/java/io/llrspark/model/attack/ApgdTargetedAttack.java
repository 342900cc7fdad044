package io.llrspark.model.attack;

import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.settings.Section;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * AutoAttack's APGD-T: APGD ({@link ApgdSearch}) on the targeted DLR loss, towards each of the classes with the
 * highest clean logits after the top one in turn (9 by default, all others when a dataset has fewer), each target's
 * runs only on the examples earlier targets left unbroken.
 */
public final class ApgdTargetedAttack extends SearchAttack<ApgdSearch> {
    /** The targeted DLR loss's denominator reads the third and fourth largest logits. */
    public static final int MIN_CLASSES = 4;

    private final int targetClasses;

    ApgdTargetedAttack(ApgdSearch search, int targetClasses) {
        super("apgd-t", search);
        if (targetClasses < 1) {
            throw new IllegalArgumentException("APGD-T needs at least one target class, got " + targetClasses);
        }
        this.targetClasses = targetClasses;
    }

    /** From a section with {@code steps}, {@code restarts} (per target class) and {@code target-classes}. */
    static ApgdTargetedAttack read(Section s) {
        return new ApgdTargetedAttack(ApgdSearch.read(s), s.positive("target-classes"));
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>(super.settings());
        s.put("target_classes", targetClasses);
        s.put("loss", "targeted-dlr");
        return s;
    }

    @Override
    AttackResult attack(Classifier net, INDArray x, INDArray y, double eps, long seed) {
        int classes = (int) y.size(1);
        int targets = Math.min(targetClasses, classes - 1);
        double[][] clean = net.logits(x, BatchStatistics.MOVING_AVERAGE).toDoubleMatrix();
        // byRank[t][i]: example i's class with the (t + 2)-th largest clean logit
        int[][] byRank = new int[targets][clean.length];
        for (int i = 0; i < clean.length; i++) {
            int[] top = DlrLoss.top(clean[i], targets + 1);
            for (int t = 0; t < targets; t++) {
                byRank[t][i] = top[t + 1];
            }
        }
        int restarts = search.restarts();
        return Restarts.run(x, y, targets * restarts, (xs, ys, rows, r) -> search.single(net, xs, ys, eps,
                new SplittableRandom(seed * 31 + r), DlrLoss.targeted(ys, Restarts.pick(byRank[r / restarts], rows))));
    }
}
