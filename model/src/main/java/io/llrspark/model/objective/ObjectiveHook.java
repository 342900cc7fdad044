package io.llrspark.model.objective;

import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.GradientHook;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An objective bound to a network's {@code fit()}: each step's context (its iteration, and the seed its random starts
 * derive from) and the diagnostics of the last step, for the training loop and the Spark worker to read.
 */
public final class ObjectiveHook implements GradientHook {
    private final TrainingObjective objective;
    private final long seed;
    private StepDiagnostics lastStep;

    private ObjectiveHook(TrainingObjective objective, long seed) {
        this.objective = objective;
        this.seed = seed;
    }

    /** Makes {@code net}'s {@code fit()} train with {@code objective}; random starts derive from {@code seed}. */
    public static ObjectiveHook bind(Classifier net, TrainingObjective objective, long seed) {
        ObjectiveHook hook = new ObjectiveHook(objective, seed);
        net.useGradient(hook);
        return hook;
    }

    /** The objective hook {@link #bind} set on {@code net}. */
    public static ObjectiveHook of(Classifier net) {
        if (!(net.gradientHook() instanceof ObjectiveHook hook)) {
            throw new IllegalStateException("the network trains with no objective: bind one first");
        }
        return hook;
    }

    @Override
    public INDArray gradient(Classifier net, INDArray x, INDArray y, long iteration) {
        StepResult result = objective.step(net, x, y, new StepContext(iteration, seed));
        lastStep = result.diagnostics();
        return result.gradient();
    }

    @Override
    public double lastScore() {
        return lastStep.total();
    }

    /** The diagnostics of the last step (null before the first). */
    public StepDiagnostics lastStep() {
        return lastStep;
    }
}
