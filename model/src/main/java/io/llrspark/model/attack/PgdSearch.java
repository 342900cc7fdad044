package io.llrspark.model.attack;

import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradient;
import io.llrspark.model.net.LogitGradients;
import io.llrspark.model.perturb.LinfBall;
import io.llrspark.model.perturb.ProjectedAscent;
import io.llrspark.model.perturb.StepRule;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.SplittableRandom;

/**
 * PGD with random restarts on any logit objective, in inference mode: sign steps of α = stepFactor·ε/steps from a
 * uniform start; per example the restart with the largest final margin is kept.
 */
record PgdSearch(int steps, double stepFactor, int restarts) {

    PgdSearch {
        if (steps < 1 || restarts < 1 || !(stepFactor > 0)) {
            throw new IllegalArgumentException("PGD needs steps >= 1, restarts >= 1 and a positive step factor, got steps="
                    + steps + " restarts=" + restarts + " stepFactor=" + stepFactor);
        }
    }

    AttackResult run(Classifier net, INDArray x, INDArray y, double eps, long seed, LogitGradient objective) {
        if (eps <= 0) {
            return evaluate(net, x, y);
        }
        StepRule rule = new StepRule.Sign(stepFactor * eps / steps);
        AttackResult best = null;
        for (int r = 0; r < restarts; r++) {
            SplittableRandom random = new SplittableRandom(seed * 31 + r);
            INDArray delta = ProjectedAscent.run(x, LinfBall.uniformStart(x, eps, random), eps, steps, rule,
                    d -> net.pass(x.add(d), objective, BatchStatistics.MOVING_AVERAGE).inputGradient());
            AttackResult candidate = evaluate(net, x.add(delta), y);
            best = WorstCase.combine(best, candidate);
        }
        return best;
    }

    static AttackResult evaluate(Classifier net, INDArray input, INDArray y) {
        INDArray logits = net.logits(input, BatchStatistics.MOVING_AVERAGE);
        return new AttackResult(input.dup(), LogitGradients.marginValues(logits, y));
    }
}
