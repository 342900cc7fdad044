package io.llrspark.model.attack;

import io.llrspark.model.net.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.Map;

/** Per example, the strongest of several results: the one with the largest margin. Also an attack over attacks. */
public final class WorstCase implements Attack {

    private final List<Attack> attacks;

    public WorstCase(List<Attack> attacks) {
        if (attacks.isEmpty()) {
            throw new IllegalArgumentException("A worst case needs at least one attack");
        }
        this.attacks = List.copyOf(attacks);
    }

    @Override
    public String name() {
        return "worst-case";
    }

    @Override
    public Map<String, Object> settings() {
        return Map.of("attacks", attacks.stream().map(Attack::name).toList());
    }

    @Override
    public AttackResult run(Classifier net, INDArray x, INDArray y, double eps, long seed) {
        AttackResult worst = null;
        for (int a = 0; a < attacks.size(); a++) {
            worst = combine(worst, attacks.get(a).run(net, x, y, eps, seed + 1_000_003L * a));
        }
        return worst;
    }

    /** The per-example stronger of two results (either may be null). */
    public static AttackResult combine(AttackResult a, AttackResult b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        INDArray adversarial = a.adversarial().dup();
        INDArray margins = a.margins().dup();
        for (int i = 0; i < a.size(); i++) {
            if (b.margins().getDouble(i) > margins.getDouble(i)) {
                margins.putScalar(i, b.margins().getDouble(i));
                adversarial.get(NDArrayIndex.point(i)).assign(b.adversarial().get(NDArrayIndex.point(i)));
            }
        }
        return new AttackResult(adversarial, margins);
    }
}
