package io.llrspark.model.attack;

import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradients;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.Map;

/** Untargeted PGD-k with restarts, on cross-entropy or on the margin max_{j≠y} z_j − z_y. */
public final class PgdAttack extends SearchAttack<PgdSearch> {

    public enum Loss { CROSS_ENTROPY, MARGIN }

    private final Loss loss;

    PgdAttack(Loss loss, PgdSearch search) {
        super(loss == Loss.CROSS_ENTROPY ? "pgd-ce" : "pgd-margin", search);
        this.loss = loss;
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>(super.settings());
        s.put("loss", loss == Loss.CROSS_ENTROPY ? "cross-entropy" : "margin");
        return s;
    }

    @Override
    AttackResult attack(Classifier net, INDArray x, INDArray y, double eps, long seed) {
        return search.run(net, x, y, eps, seed,
                loss == Loss.CROSS_ENTROPY ? LogitGradients.crossEntropy(y) : LogitGradients.margin(y));
    }
}
