package io.llrspark.model.perturb;

import io.llrspark.model.memory.StepMemory;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.function.UnaryOperator;

/**
 * k steps of projected ascent on δ: the loop every attack, adversarial-training step and LLR inner maximization
 * shares. The direction function returns the gradient (with respect to the input) of the maximized objective at x+δ.
 */
public final class ProjectedAscent {

    private ProjectedAscent() {
    }

    /** Returns the final δ (a new array); {@code start} is not modified. */
    public static INDArray run(INDArray x, INDArray start, double eps, int steps, StepRule rule,
                               UnaryOperator<INDArray> gradientAt) {
        INDArray delta = start.dup();
        StepRule.Stepper stepper = rule.start(delta);
        for (int i = 0; i < steps; i++) {
            // δ and the stepper's state were allocated before the loop and change in place; the rest is scratch.
            try (MemoryWorkspace iteration = StepMemory.iteration()) {
                stepper.ascend(delta, gradientAt.apply(delta));
                LinfBall.project(x, delta, eps);
            }
        }
        return delta;
    }
}
