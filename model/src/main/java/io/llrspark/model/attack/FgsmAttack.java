package io.llrspark.model.attack;

import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradients;
import io.llrspark.model.perturb.LinfBall;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;

/**
 * FGSM (Goodfellow et al. 2015): one sign step of ε on cross-entropy from the clean input, no random start: the
 * weakest gradient attack, the one a model trained against it learns to defeat by bending its loss surface near x.
 * The obfuscation verdict compares it with the multi-step attacks.
 */
public final class FgsmAttack implements Attack {

    @Override
    public String name() {
        return "fgsm";
    }

    @Override
    public Map<String, Object> settings() {
        return Map.of("steps", 1, "step", "epsilon", "random_start", false, "loss", "cross-entropy");
    }

    @Override
    public AttackResult run(Classifier net, INDArray x, INDArray y, double eps, long seed) {
        if (eps <= 0) {
            return PgdSearch.evaluate(net, x, y);
        }
        INDArray g = net.inputPass(x, LogitGradients.crossEntropy(y), BatchStatistics.MOVING_AVERAGE).inputGradient();
        INDArray delta = LinfBall.project(x, Transforms.sign(g, true).muli(eps), eps);
        return PgdSearch.evaluate(net, x.add(delta), y);
    }
}
