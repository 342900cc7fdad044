package io.llrspark.model.perturb;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * How an inner maximization moves δ along an ascent gradient: sign steps (PGD) or Adam (the released LLR code).
 * A rule is a value; {@link #start} gives the per-search state.
 */
public sealed interface StepRule {

    /** The per-search state for a δ like {@code delta}, allocated now (not inside the search's iterations). */
    Stepper start(INDArray delta);

    /** Moves δ in place (before projection) given the gradient of the maximized objective. */
    interface Stepper {
        void ascend(INDArray delta, INDArray gradient);
    }

    /** δ ← δ + α·sign(∇). */
    record Sign(double stepSize) implements StepRule {
        @Override
        public Stepper start(INDArray like) {
            return (delta, gradient) -> delta.addi(Transforms.sign(gradient, true).muli(stepSize));
        }
    }

    /** Adam ascent on δ with the usual moment estimates (β₁ = 0.9, β₂ = 0.999, ε̂ = 1e-8). */
    record Adam(double learningRate) implements StepRule {
        @Override
        public Stepper start(INDArray like) {
            INDArray m = Nd4j.zerosLike(like);
            INDArray v = Nd4j.zerosLike(like);
            return new Stepper() {
                private int t;

                @Override
                public void ascend(INDArray delta, INDArray gradient) {
                    t++;
                    m.muli(0.9).addi(gradient.mul(0.1));
                    v.muli(0.999).addi(gradient.mul(gradient).muli(0.001));
                    INDArray mHat = m.div(1 - Math.pow(0.9, t));
                    INDArray vHat = v.div(1 - Math.pow(0.999, t));
                    delta.addi(mHat.divi(Transforms.sqrt(vHat, false).addi(1e-8)).muli(learningRate));
                }
            };
        }
    }
}
