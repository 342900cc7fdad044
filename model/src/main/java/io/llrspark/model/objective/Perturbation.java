package io.llrspark.model.objective;

import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Settings shared by the objectives that search a perturbation: radius, ε warm-up, inner steps and their rule. */
public record Perturbation(double epsilon, long warmupSteps, int steps, io.llrspark.model.perturb.StepRule rule) {

    /** ε at an iteration: linear from 0 over the warm-up steps, then constant. */
    public double epsilonAt(long iteration) {
        if (warmupSteps <= 0 || iteration >= warmupSteps) {
            return epsilon;
        }
        return epsilon * iteration / warmupSteps;
    }

    /** Perturbed passes normalize with the clean batch's statistics (no batch norm: the choice does not matter). */
    static BatchStatistics perturbedStatistics(Classifier net) {
        return net.hasBatchNormalization() ? BatchStatistics.CLEAN_BATCH : BatchStatistics.LIVE;
    }

    static INDArray plus(INDArray x, INDArray delta, double scale) {
        return x.add(delta.mul(scale));
    }
}
