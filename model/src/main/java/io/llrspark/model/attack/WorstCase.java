package io.llrspark.model.attack;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Per example, the stronger of two attack results: the one with the larger margin. How attacks, targets and restarts
 * combine; the evaluation's protocol combines the configured attacks with it.
 */
public final class WorstCase {

    private WorstCase() {
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
