package io.llrspark.model.objective;

import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradients;
import io.llrspark.model.net.Pass;
import io.llrspark.model.settings.Section;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Locale;
import java.util.Set;

/**
 * The Local Linearity Regularizer: w·ℓ(x) + λ·|g(δ)| + μ·|D(δ)| with D(δ) = δᵀ∇ₓℓ(x), g(δ) = ℓ(x+δ) − ℓ(x) − D(δ) and
 * δ maximizing |g| in the ε-ball (see docs/objectives.md).
 *
 * <p>With s = sign g, t = sign D and δ fixed, ∇θL = (w − λs)∇θℓ(x) + λs∇θℓ(x+δ) + (μt − λs)∇θD. The mixed derivative
 * ∇θD is the directional derivative of ∇θℓ along δ; the pair of passes at x ± hδ with per-example weights
 * a = (α + k/h)/2 and b = (α − k/h)/2 gives α∇θℓ(x) + k∇θD up to O(h²). Folding α = −λs into that pair is what lets
 * the clean pass run before s is known: a step is 1 clean + k inner + 1 at x+δ + 2 at x±hδ passes.
 */
public final class LlrObjective extends SearchingObjective {
    public static final String NAME = "llr";

    /**
     * llr.training.llr (a preset, llr.presets.paper or .released, with single keys overridden): the weights, the
     * inner search (sign steps of step-size·ε/steps, or Adam with learning rate step-size) and the finite-difference
     * step h.
     */
    public record Settings(double nominalWeight, double lambda, double mu, int steps, Perturbation.Rule stepRule,
                           double stepSize, long warmupSteps, double h) implements ObjectiveSettings {
        static Settings read(Section s) {
            return new Settings(s.nonNegativeDouble("nominal-weight"), s.nonNegativeDouble("lambda"),
                    s.nonNegativeDouble("mu"), s.positive("steps"),
                    Perturbation.Rule.valueOf(s.oneOf("step-rule", Set.of("sign", "adam")).toUpperCase(Locale.ROOT)),
                    s.positiveDouble("step-size"), s.nonNegativeLong("warmup-steps"), s.positiveDouble("h"));
        }

        @Override
        public TrainingObjective build(double epsilon) {
            return new LlrObjective(nominalWeight, lambda, mu, h,
                    new Perturbation(epsilon, warmupSteps, steps, stepRule, stepSize));
        }
    }

    private final double nominalWeight;
    private final double lambda;
    private final double mu;
    private final double h;

    /**
     * @param nominalWeight w, the weight of ℓ(x) (1 in the paper, 2 in the released code)
     * @param lambda        λ, weight of the linearity violation γ
     * @param mu            μ, weight of |δᵀ∇ₓℓ|
     * @param h             the finite-difference step along δ for ∇θD (relative to δ)
     */
    public LlrObjective(double nominalWeight, double lambda, double mu, double h, Perturbation perturbation) {
        super(NAME, perturbation);
        this.nominalWeight = nominalWeight;
        this.lambda = lambda;
        this.mu = mu;
        this.h = h;
    }

    @Override
    protected StepResult step(Classifier net, INDArray x, INDArray y, StepContext context, double eps) {
        Clean clean = cleanPasses(net, x, y, eps > 0);
        if (eps <= 0) {
            GradientSum gradient = new GradientSum(net, clean.pass, nominalWeight);
            return new StepResult(gradient.total(), terms(new StepDiagnostics(clean.ce, nominalWeight * clean.ce,
                    clean.passes, 0), 0, 0, 0));
        }
        BatchStatistics perturbed = Perturbation.perturbedStatistics(net);
        INDArray delta = LinearityViolation.maximize(net, x, y, clean.loss, clean.gradX, eps, perturbation.steps(),
                perturbation.ruleAt(eps), context.random(), perturbed);
        return outerStep(net, x, y, delta, clean, perturbation.steps());
    }

    /** The step's gradient and diagnostics for a given δ (no search): what the gradient check verifies. */
    public StepResult stepAt(Classifier net, INDArray x, INDArray y, INDArray delta) {
        return outerStep(net, x, y, delta, cleanPasses(net, x, y, true), 0);
    }

    private record Clean(Pass pass, INDArray loss, double ce, INDArray gradX, int passes) {
    }

    private static Clean cleanPasses(Classifier net, INDArray x, INDArray y, boolean needGradX) {
        boolean separateGradX = needGradX && net.hasBatchNormalization();
        Pass clean = separateGradX
                ? net.weightPass(x, LogitGradients.crossEntropy(y), BatchStatistics.LIVE)
                : net.pass(x, LogitGradients.crossEntropy(y), BatchStatistics.LIVE);
        INDArray loss = LogitGradients.crossEntropyValues(clean.logits(), y);
        INDArray gradX = clean.inputGradient();
        int passes = 1;
        if (separateGradX) {
            // The live pass's input gradient includes the batch-statistics coupling; D needs the per-example one.
            gradX = net.inputPass(x, LogitGradients.crossEntropy(y), BatchStatistics.CLEAN_BATCH).inputGradient();
            passes++;
        }
        return new Clean(clean, loss, loss.meanNumber().doubleValue(), gradX, passes);
    }

    private StepResult outerStep(Classifier net, INDArray x, INDArray y, INDArray delta, Clean clean, int innerPasses) {
        BatchStatistics perturbed = Perturbation.perturbedStatistics(net);
        INDArray linear = LinearityViolation.perExampleDot(delta, clean.gradX);
        INDArray[] violationAtDelta = new INDArray[1];
        // s is known only once this pass's logits are: the rule computes it before the backward pass.
        Pass atDelta = net.weightPass(x.add(delta), logits -> {
            violationAtDelta[0] = LinearityViolation.of(LogitGradients.crossEntropyValues(logits, y), clean.loss, delta, clean.gradX);
            INDArray s = Transforms.sign(violationAtDelta[0], true);
            return LogitGradients.crossEntropy(y).of(logits).muliColumnVector(s.mul(lambda).reshape(s.length(), 1));
        }, perturbed);
        INDArray g = violationAtDelta[0];
        INDArray s = Transforms.sign(g, true);
        INDArray t = Transforms.sign(linear, true);
        INDArray alpha = s.mul(-lambda);
        INDArray k = t.mul(mu).subi(s.mul(lambda));
        Pass mixed = MixedDerivative.pass(net, x, y, delta, alpha, k, h, perturbed);
        GradientSum gradient = new GradientSum(net, clean.pass, nominalWeight).add(atDelta).add(mixed);

        double gamma = Transforms.abs(g, true).meanNumber().doubleValue();
        double lin = Transforms.abs(linear, true).meanNumber().doubleValue();
        double reg = lambda * gamma + mu * lin;
        return new StepResult(gradient.total(), terms(new StepDiagnostics(clean.ce, nominalWeight * clean.ce + reg,
                clean.passes + innerPasses + 3, 0), gamma, lin, reg));
    }

    private static StepDiagnostics terms(StepDiagnostics core, double gamma, double linearTerm, double regularizer) {
        return core.with("gamma", gamma).with("linear_term", linearTerm).with("regularizer", regularizer);
    }

}
