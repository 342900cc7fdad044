package io.llrspark.model.objective;

import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradients;
import io.llrspark.model.net.Pass;
import io.llrspark.model.perturb.LinfBall;
import io.llrspark.model.perturb.ProjectedAscent;
import io.llrspark.model.settings.Section;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ADV-k (Madry et al.): ℓ(x + δ) with δ from k projected steps on ℓ from a random start; k + 1 passes. The final pass
 * runs with the adversarial batch's own statistics, as in Madry's training; the attack's passes, for networks with
 * batch normalization, use the clean batch's (one extra forward pass to measure them).
 */
public final class AdversarialTrainingObjective extends SearchingObjective {
    public static final String NAME = "adv";

    /** llr.training.adv: the inner search. */
    public record Settings(SearchSettings search) implements ObjectiveSettings {
        static Settings read(Section s) {
            return new Settings(SearchSettings.read(s));
        }

        @Override
        public TrainingObjective build(double epsilon) {
            return new AdversarialTrainingObjective(search.at(epsilon));
        }
    }


    public AdversarialTrainingObjective(Perturbation perturbation) {
        super(NAME, perturbation);
    }

    @Override
    protected StepResult step(Classifier net, INDArray x, INDArray y, StepContext context, double eps) {
        double cleanLoss = Double.NaN;
        int forwards = 0;
        if (net.hasBatchNormalization()) {
            cleanLoss = LogitGradients.crossEntropyValues(net.logits(x, BatchStatistics.LIVE), y).meanNumber().doubleValue();
            forwards = 1;
        }
        INDArray delta = x.mul(0);
        int passes = 1;
        if (eps > 0) {
            BatchStatistics perturbed = Perturbation.perturbedStatistics(net);
            delta = ProjectedAscent.run(x, LinfBall.uniformStart(x, eps, context.random()), eps, perturbation.steps(),
                    perturbation.ruleAt(eps), d -> net.inputPass(x.add(d), LogitGradients.crossEntropy(y), perturbed).inputGradient());
            passes += perturbation.steps();
        }
        Pass adversarial = net.weightPass(x.add(delta), LogitGradients.crossEntropy(y), BatchStatistics.LIVE);
        double advLoss = LogitGradients.crossEntropyValues(adversarial.logits(), y).meanNumber().doubleValue();
        if (eps <= 0) {
            cleanLoss = advLoss;
        }
        return new StepResult(new GradientSum(net, adversarial, 1.0).total(),
                new StepDiagnostics(cleanLoss, advLoss, passes, forwards).with("adversarial_ce", advLoss));
    }
}
