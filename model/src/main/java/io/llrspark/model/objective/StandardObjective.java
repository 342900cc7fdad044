package io.llrspark.model.objective;

import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradients;
import io.llrspark.model.net.Pass;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Plain cross-entropy: one pass. */
public final class StandardObjective implements TrainingObjective {
    public static final String NAME = "standard";

    /** Nothing to set. */
    public record Settings() implements ObjectiveSettings {
        @Override
        public TrainingObjective build(double epsilon) {
            return new StandardObjective();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StepResult step(Classifier net, INDArray x, INDArray y, StepContext context) {
        Pass clean = net.weightPass(x, LogitGradients.crossEntropy(y), BatchStatistics.LIVE);
        double ce = LogitGradients.crossEntropyValues(clean.logits(), y).meanNumber().doubleValue();
        return new StepResult(new GradientSum(net, clean, 1.0).total(), new StepDiagnostics(ce, ce, 1, 0));
    }
}
