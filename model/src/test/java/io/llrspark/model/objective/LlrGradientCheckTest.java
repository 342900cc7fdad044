package io.llrspark.model.objective;

import io.llrspark.model.TestNetworks;
import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.layers.CleanStatsBatchNormLayer;
import io.llrspark.model.net.LogitGradients;
import io.llrspark.model.net.arch.NetworkFactory;
import io.llrspark.model.net.arch.NetworkSpec;
import io.llrspark.model.net.arch.OptimizerSpec;
import io.llrspark.model.net.layers.PixelNormalization;
import io.llrspark.model.net.arch.ResidualNetworks;
import io.llrspark.model.perturb.LinfBall;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The LLR weight gradient, with δ held fixed, against central finite differences of the objective in double
 * precision. The objective here is computed independently of LlrObjective's gradient path: losses from logits,
 * D from an input gradient. For batch-normalized networks the regularizer's passes use the clean batch's statistics
 * taken at the unperturbed weights (constants of the step, as documented).
 */
class LlrGradientCheckTest {
    private static final double W = 1.0;
    private static final double LAMBDA = 4.0;
    private static final double MU = 3.0;
    private static final double FD_STEP = 1e-6;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {NetworkFactory.SMALL_CNN, NetworkFactory.SMALL_RESNET, "shrunk-resnet", "shrunk-wrn"})
    void llrGradientMatchesFiniteDifferences(String architecture) {
        int size = architecture.equals("shrunk-resnet") ? 16 : 8;
        // The ImageNet and CIFAR builders at their smallest: one block per stage, a few channels, with the input
        // normalization their full-size networks start with.
        NetworkSpec spec = new NetworkSpec(architecture, "softplus", 1, size, size, 10, DataType.DOUBLE, 7,
                OptimizerSpec.adam(1e-3), 1.0, NetworkSpec.NATIVE, architecture.startsWith("shrunk") ? new PixelNormalization(new double[]{0.4},
                new double[]{0.3}) : null);
        Classifier net = switch (architecture) {
            case "shrunk-resnet" -> ResidualNetworks.resNet(spec, new int[]{1, 1}, 2);
            case "shrunk-wrn" -> ResidualNetworks.wideResNet(spec, 1, 1);
            default -> TestNetworks.build(architecture, size, DataType.DOUBLE, 7);
        };
        int n = 6;
        INDArray x = TestNetworks.images(n, size, DataType.DOUBLE, 1);
        INDArray y = TestNetworks.oneHot(n, 10, DataType.DOUBLE, 2);
        INDArray delta = LinfBall.uniformStart(x, 0.1, new SplittableRandom(3));
        LlrObjective llr = new LlrObjective(W, LAMBDA, MU, 1e-5, new Perturbation(0.1, 0, 2, Perturbation.Rule.SIGN, 1.0));

        StepResult analytic = llr.stepAt(net, x, y, delta);
        List<INDArray[]> statistics = snapshot(net);
        INDArray gradient = analytic.gradient().reshape(-1).div(n);
        INDArray params = net.model().params().reshape(-1);
        double objectiveAt0 = objective(net, x, y, delta, statistics);
        assertTrue(Math.abs(objectiveAt0 - analytic.diagnostics().total()) < 1e-9 * Math.max(1, Math.abs(objectiveAt0)),
                "objective value " + objectiveAt0 + " vs step diagnostics " + analytic.diagnostics().total());

        Random pick = new Random(11);
        int checked = 0;
        for (Map.Entry<String, INDArray> entry : net.model().paramTable().entrySet()) {
            String name = entry.getKey();
            if (name.endsWith("_mean") || name.endsWith("_var") || name.endsWith("_log10stdev")) {
                continue; // moving averages: pseudo-gradients, not gradients
            }
            long offset = entry.getValue().offset() - params.offset();
            double worst = 0;
            for (int s = 0; s < 6; s++) {
                long i = offset + pick.nextInt((int) entry.getValue().length());
                double original = params.getDouble(i);
                params.putScalar(i, original + FD_STEP);
                double up = objective(net, x, y, delta, statistics);
                params.putScalar(i, original - FD_STEP);
                double down = objective(net, x, y, delta, statistics);
                params.putScalar(i, original);
                double numeric = (up - down) / (2 * FD_STEP);
                double exact = gradient.getDouble(i);
                double scale = Math.abs(numeric) + Math.abs(exact);
                if (scale > 1e-7) {
                    worst = Math.max(worst, Math.abs(numeric - exact) / scale);
                }
                checked++;
            }
            assertTrue(worst < 1e-3, architecture + " parameter " + name + ": max relative error " + worst);
        }
        assertTrue(checked > 20);
    }

    /** mean(w·ℓ(x) + λ|ℓ(x+δ) − ℓ(x) − δᵀ∇ₓℓ(x)| + μ|δᵀ∇ₓℓ(x)|), the regularizer with held statistics. */
    static double objective(Classifier net, INDArray x, INDArray y, INDArray delta, List<INDArray[]> statistics) {
        INDArray lossX = LogitGradients.crossEntropyValues(net.logits(x, BatchStatistics.LIVE), y);
        BatchStatistics perturbed = BatchStatistics.LIVE;
        if (net.hasBatchNormalization()) {
            restore(net, statistics);
            perturbed = BatchStatistics.CLEAN_BATCH;
        }
        // Inside the regularizer ℓ(x) too is taken with the held statistics: same value, no gradient through them.
        INDArray lossXHeld = LogitGradients.crossEntropyValues(net.logits(x, perturbed), y);
        INDArray gradX = net.pass(x, LogitGradients.crossEntropy(y), perturbed).inputGradient();
        INDArray lossD = LogitGradients.crossEntropyValues(net.logits(x.add(delta), perturbed), y);
        INDArray d = LinearityViolation.perExampleDot(delta, gradX);
        INDArray g = lossD.sub(lossXHeld).subi(d);
        return lossX.mul(W).addi(Transforms.abs(g, true).muli(LAMBDA)).addi(Transforms.abs(d, true).muli(MU))
                .meanNumber().doubleValue();
    }

    static List<INDArray[]> snapshot(Classifier net) {
        List<INDArray[]> out = new ArrayList<>();
        for (Layer l : layers(net.model())) {
            if (l instanceof CleanStatsBatchNormLayer bn) {
                out.add(bn.cleanStatistics());
            }
        }
        return out;
    }

    static void restore(Classifier net, List<INDArray[]> statistics) {
        int i = 0;
        for (Layer l : layers(net.model())) {
            if (l instanceof CleanStatsBatchNormLayer bn) {
                bn.restoreCleanStatistics(statistics.get(i++));
            }
        }
    }

    static Layer[] layers(Model model) {
        return model instanceof MultiLayerNetwork m ? m.getLayers() : ((ComputationGraph) model).getLayers();
    }
}
