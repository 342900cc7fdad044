package io.llrspark.model.attack;

import io.llrspark.model.net.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.Map;

/** Untargeted APGD ({@link ApgdSearch}) on cross-entropy (AutoAttack's APGD-CE) or on the DLR loss. */
public final class ApgdAttack extends SearchAttack<ApgdSearch> {

    public enum Loss { CROSS_ENTROPY, DLR }

    private final Loss loss;

    ApgdAttack(Loss loss, ApgdSearch search) {
        super(loss == Loss.CROSS_ENTROPY ? "apgd-ce" : "apgd-dlr", search);
        this.loss = loss;
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>(super.settings());
        s.put("loss", loss == Loss.CROSS_ENTROPY ? "cross-entropy" : "dlr");
        return s;
    }

    @Override
    AttackResult attack(Classifier net, INDArray x, INDArray y, double eps, long seed) {
        return search.run(net, x, y, eps, seed, (ys, rows) ->
                loss == Loss.CROSS_ENTROPY ? AttackLoss.crossEntropy(ys) : DlrLoss.untargeted(ys));
    }
}
