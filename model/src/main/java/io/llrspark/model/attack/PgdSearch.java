package io.llrspark.model.attack;

import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradient;
import io.llrspark.model.net.LogitGradients;
import io.llrspark.model.perturb.LinfBall;
import io.llrspark.model.perturb.ProjectedAscent;
import io.llrspark.model.perturb.StepRule;
import org.nd4j.linalg.api.ndarray.INDArray;
import io.llrspark.model.settings.Section;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

import java.util.SplittableRandom;

/**
 * PGD with random restarts on any logit objective, in inference mode: sign steps of α = stepFactor·ε/steps from a
 * uniform start; per example the restart with the largest final margin is kept.
 */
record PgdSearch(int steps, double stepFactor, int restarts) implements Search {

    /** From a section with {@code steps}, {@code step-factor} and {@code restarts}. */
    static PgdSearch read(Section s) {
        return new PgdSearch(s.positive("steps"), s.positiveDouble("step-factor"), s.positive("restarts"));
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("steps", steps);
        s.put("step_factor", stepFactor);
        s.put("restarts", restarts);
        return s;
    }

    PgdSearch {
        if (steps < 1 || restarts < 1 || !(stepFactor > 0)) {
            throw new IllegalArgumentException("PGD needs steps >= 1, restarts >= 1 and a positive step factor, got steps="
                    + steps + " restarts=" + restarts + " stepFactor=" + stepFactor);
        }
    }

    /** At ε > 0 ({@link SearchAttack} answers ε = 0 itself). */
    AttackResult run(Classifier net, INDArray x, INDArray y, double eps, long seed, LogitGradient objective) {
        StepRule rule = new StepRule.Sign(stepFactor * eps / steps);
        return Restarts.run(x, y, restarts, (xs, ys, open, r) -> {
            SplittableRandom random = new SplittableRandom(seed * 31 + r);
            LogitGradient rowsObjective = open == null ? objective : logits -> objective.of(scatter(logits, open, x.size(0)))
                    .get(NDArrayIndex.indices(Restarts.toLong(open)), NDArrayIndex.all());
            INDArray delta = ProjectedAscent.run(xs, LinfBall.uniformStart(xs, eps, random), eps, steps, rule,
                    d -> net.inputPass(xs.add(d), rowsObjective, BatchStatistics.MOVING_AVERAGE).inputGradient());
            return evaluate(net, xs.add(delta), ys);
        });
    }

    /** Rows of a subset placed at their indices in a full-size array (other rows zero). */
    private static INDArray scatter(INDArray subset, int[] idx, long n) {
        long[] shape = subset.shape().clone();
        shape[0] = n;
        INDArray full = org.nd4j.linalg.factory.Nd4j.zeros(subset.dataType(), shape);
        for (int i = 0; i < idx.length; i++) {
            full.get(NDArrayIndex.point(idx[i])).assign(subset.get(NDArrayIndex.point(i)));
        }
        return full;
    }

    static AttackResult evaluate(Classifier net, INDArray input, INDArray y) {
        INDArray logits = net.logits(input, BatchStatistics.MOVING_AVERAGE);
        return new AttackResult(input.dup(), LogitGradients.marginValues(logits, y));
    }
}
