package io.llrspark.model.attack;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adversarial inputs and, per example, the margin max_{j≠y} z_j − z_y they reach: positive means misclassified (the
 * attack succeeded). The margin also ranks candidates when taking the worst case.
 */
public record AttackResult(INDArray adversarial, INDArray margins) {

    public boolean success(int i) {
        return margins.getDouble(i) > 0;
    }

    public int size() {
        return (int) margins.length();
    }

    public int successes() {
        int n = 0;
        for (int i = 0; i < size(); i++) {
            n += success(i) ? 1 : 0;
        }
        return n;
    }
}
