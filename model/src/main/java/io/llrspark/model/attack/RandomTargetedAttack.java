package io.llrspark.model.attack;

import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradients;
import org.nd4j.linalg.api.ndarray.INDArray;


import java.util.SplittableRandom;

/**
 * PGD towards one target class per example, drawn uniformly among the wrong classes (the ImageNet protocol). Success
 * here means misclassified, as for every attack; the margin reported is the untargeted one.
 */
public final class RandomTargetedAttack extends SearchAttack<PgdSearch> {

    RandomTargetedAttack(PgdSearch search) {
        super("random-targeted", search);
    }

    @Override
    AttackResult attack(Classifier net, INDArray x, INDArray y, double eps, long seed) {
        int classes = (int) y.size(1);
        int[] labels = Labels.of(y);
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int[] targets = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            targets[i] = (labels[i] + 1 + random.nextInt(classes - 1)) % classes;
        }
        return search.run(net, x, y, eps, seed, LogitGradients.targeted(y, targets));
    }
}
