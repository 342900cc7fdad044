package io.llrspark.model.objective;

import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradients;
import io.llrspark.model.net.Pass;
import io.llrspark.model.net.SoftmaxCrossEntropyLoss;
import io.llrspark.model.perturb.LinfBall;
import io.llrspark.model.perturb.ProjectedAscent;
import io.llrspark.model.settings.Section;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * TRADES (Zhang et al.): ℓ(x) + β·KL(p(x) ‖ p(x+δ)), δ from k projected steps on the KL from a small Gaussian start.
 *
 * <p>Both sides of the KL carry gradient. On the clean side, with r = log p(x) − log p(x+δ), ∂KL/∂z(x) = p ⊙ (r − pᵀr);
 * on the adversarial side ∂KL/∂z(x+δ) = p(x+δ) − p(x). Cost: one forward and k + 2 passes.
 */
public final class TradesObjective extends SearchingObjective {
    public static final String NAME = "trades";

    /** llr.training.trades: β, the KL's weight, and the inner search. */
    public record Settings(double beta, SearchSettings search) implements ObjectiveSettings {
        static Settings read(Section s) {
            return new Settings(s.nonNegativeDouble("beta"), SearchSettings.read(s));
        }

        @Override
        public TrainingObjective build(double epsilon) {
            return new TradesObjective(beta, search.at(epsilon));
        }
    }

    private static final double START_SIGMA = 0.001;
    private final double beta;

    public TradesObjective(double beta, Perturbation perturbation) {
        super(NAME, perturbation);
        this.beta = beta;
    }

    @Override
    protected StepResult step(Classifier net, INDArray x, INDArray y, StepContext context, double eps) {
        INDArray pClean = LogitGradients.softmax(net.logits(x, BatchStatistics.LIVE));
        BatchStatistics perturbed = Perturbation.perturbedStatistics(net);
        INDArray delta = x.mul(0);
        if (eps > 0) {
            delta = ProjectedAscent.run(x, LinfBall.gaussianStart(x, START_SIGMA, eps, context.random()), eps,
                    perturbation.steps(), perturbation.ruleAt(eps),
                    d -> net.inputPass(x.add(d), LogitGradients.klTo(pClean), perturbed).inputGradient());
        }
        Pass adversarial = net.weightPass(x.add(delta),
                LogitGradients.scaled(LogitGradients.klTo(pClean), beta),
                perturbed);
        INDArray logPAdv = SoftmaxCrossEntropyLoss.logSoftmax(adversarial.logits());
        Pass clean = net.weightPass(x, logits -> {
            INDArray p = LogitGradients.softmax(logits);
            INDArray r = SoftmaxCrossEntropyLoss.logSoftmax(logits).subi(logPAdv);
            INDArray centred = r.subColumnVector(p.mul(r).sum(true, 1));
            return LogitGradients.crossEntropy(y).of(logits).addi(p.mul(centred).muli(beta));
        }, BatchStatistics.LIVE);
        double ce = LogitGradients.crossEntropyValues(clean.logits(), y).meanNumber().doubleValue();
        double kl = LogitGradients.klValues(LogitGradients.softmax(clean.logits()), adversarial.logits())
                .meanNumber().doubleValue();
        int passes = (eps > 0 ? perturbation.steps() : 0) + 2;
        return new StepResult(new GradientSum(net, clean, 1.0).add(adversarial).total(),
                new StepDiagnostics(ce, ce + beta * kl, passes, 1).with("kl", kl));
    }
}
