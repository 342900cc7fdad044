package io.llrspark.model.objective;

import io.llrspark.model.net.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An objective that searches the ε-ball around each batch for a perturbation (ADV, TRADES, LLR): each step runs at
 * the ε its warm-up gives for the step's iteration, with the search its {@link Perturbation} describes.
 */
abstract class SearchingObjective implements TrainingObjective {
    private final String name;
    protected final Perturbation perturbation;

    SearchingObjective(String name, Perturbation perturbation) {
        this.name = name;
        this.perturbation = perturbation;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final StepResult step(Classifier net, INDArray x, INDArray y, StepContext context) {
        return step(net, x, y, context, perturbation.epsilonAt(context.iteration()));
    }

    /** The step at ε = {@code eps} (0 early in the warm-up: no search, the clean objective's gradient). */
    protected abstract StepResult step(Classifier net, INDArray x, INDArray y, StepContext context, double eps);
}
