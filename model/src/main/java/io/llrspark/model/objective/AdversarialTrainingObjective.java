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
 * ADV-k (Madry et al.): ℓ(x + δ) with δ from k projected steps on ℓ from a random start; k + 1 passes. Without the
 * random start and with one step of ε it is FGSM training (Goodfellow et al.), which at a large ε learns to mask its
 * gradients rather than to be robust: kept to show what the obfuscation verdict catches. The final pass
 * runs with the adversarial batch's own statistics, as in Madry's training; the attack's passes, for networks with
 * batch normalization, use the clean batch's (one extra forward pass to measure them).
 */
public final class AdversarialTrainingObjective extends SearchingObjective {
    public static final String NAME = "adv";

    /** llr.training.adv: the inner search. */
    public record Settings(SearchSettings search, boolean randomStart) implements ObjectiveSettings {
        static Settings read(Section s) {
            return new Settings(SearchSettings.read(s), s.bool("random-start"));
        }

        @Override
        public TrainingObjective build(double epsilon) {
            return new AdversarialTrainingObjective(search.at(epsilon), randomStart);
        }
    }

    private final boolean randomStart;

    public AdversarialTrainingObjective(Perturbation perturbation) {
        this(perturbation, true);
    }

    /** @param randomStart start the search uniformly in the ball (else at x) */
    public AdversarialTrainingObjective(Perturbation perturbation, boolean randomStart) {
        super(NAME, perturbation);
        this.randomStart = randomStart;
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
            delta = ProjectedAscent.run(x, randomStart ? LinfBall.uniformStart(x, eps, context.random()) : x.mul(0), eps, perturbation.steps(),
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
