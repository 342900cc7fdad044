package io.llrspark.model.attack;

import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradients;
import org.nd4j.linalg.api.ndarray.INDArray;


/**
 * Multi-targeted PGD: for every class t ≠ y, maximize z_t − z_y; an example is robust only if every target fails.
 * Costs (classes − 1) PGD runs.
 */
public final class MultiTargetedAttack extends SearchAttack<PgdSearch> {

    MultiTargetedAttack(PgdSearch search) {
        super("multi-targeted", search);
    }

    @Override
    AttackResult attack(Classifier net, INDArray x, INDArray y, double eps, long seed) {
        int classes = (int) y.size(1);
        int[] labels = Labels.of(y);
        AttackResult worst = null;
        for (int shift = 1; shift < classes; shift++) {
            int[] targets = new int[labels.length];
            for (int i = 0; i < labels.length; i++) {
                targets[i] = (labels[i] + shift) % classes;
            }
            worst = WorstCase.combine(worst,
                    search.run(net, x, y, eps, seed + 7919L * shift, LogitGradients.targeted(y, targets)));
        }
        return worst;
    }
}
