package io.llrspark.model.objective;

import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.perturb.StepRule;

/**
 * Settings shared by the objectives that search a perturbation: radius, ε warm-up, inner steps and their rule.
 * A sign rule's step is {@code stepSize·ε/steps} at the current (warmed-up) ε; Adam's {@code stepSize} is its
 * learning rate on δ.
 */
public record Perturbation(double epsilon, long warmupSteps, int steps, Rule rule, double stepSize)
        implements java.io.Serializable {

    public enum Rule { SIGN, ADAM }

    /** ε at an iteration: linear from 0 over the warm-up steps, then constant. */
    public double epsilonAt(long iteration) {
        if (warmupSteps <= 0 || iteration >= warmupSteps) {
            return epsilon;
        }
        return epsilon * iteration / warmupSteps;
    }

    public StepRule ruleAt(double eps) {
        return rule == Rule.SIGN ? new StepRule.Sign(stepSize * eps / steps) : new StepRule.Adam(stepSize);
    }

    /** Perturbed passes normalize with the clean batch's statistics (no batch norm: the choice does not matter). */
    static BatchStatistics perturbedStatistics(Classifier net) {
        return net.hasBatchNormalization() ? BatchStatistics.CLEAN_BATCH : BatchStatistics.LIVE;
    }
}
