package io.llrspark.model.net.layers;

import io.llrspark.model.TestNetworks;
import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.dl4j.ClassifierGraph;
import io.llrspark.model.net.arch.NetworkFactory;
import io.llrspark.model.objective.AdversarialTrainingObjective;
import io.llrspark.model.objective.LlrObjective;
import io.llrspark.model.objective.Perturbation;
import io.llrspark.model.objective.StandardObjective;
import io.llrspark.model.objective.TradesObjective;
import io.llrspark.model.objective.TrainingObjective;
import io.llrspark.model.objective.ObjectiveHook;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training step through DL4J's fit() moves the moving averages exactly as one live pass over the clean batch
 * would (decay·old + (1 − decay)·batch statistic), however many perturbed passes the objective made.
 */
class BatchNormMovingAverageTest {
    private static final double DECAY = 0.9;

    @Test
    void llrStepsUpdateMovingAveragesFromTheCleanBatchOnly() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        for (int steps : new int[]{1, 4}) {
            assertCleanOnly(new LlrObjective(1, 4, 3, 0.05, new Perturbation(0.1, 0, steps, Perturbation.Rule.SIGN, 1.0)));
        }
        assertCleanOnly(new StandardObjective());
        assertCleanOnly(new TradesObjective(6, new Perturbation(0.1, 0, 3, Perturbation.Rule.SIGN, 1.0)));
    }

    @Test
    void adversarialTrainingUpdatesMovingAveragesFromTheAdversarialBatch() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        ClassifierGraph net = (ClassifierGraph) TestNetworks.build(NetworkFactory.SMALL_RESNET, 8, DataType.DOUBLE, 3);
        INDArray x = TestNetworks.images(8, 8, DataType.DOUBLE, 1);
        INDArray y = TestNetworks.oneHot(8, 10, DataType.DOUBLE, 2);
        List<INDArray[]> before = movingAverages(net);
        List<INDArray[]> clean = batchStatistics(net, x);
        ObjectiveHook.bind(net, new AdversarialTrainingObjective(new Perturbation(0.3, 0, 3, Perturbation.Rule.SIGN, 1.0)), 1);
        net.fit(new DataSet(x, y));
        List<INDArray[]> after = movingAverages(net);
        double maxDiff = 0;
        for (int l = 0; l < before.size(); l++) {
            INDArray expectedMean = before.get(l)[0].mul(DECAY).addi(clean.get(l)[0].mul(1 - DECAY));
            maxDiff = Math.max(maxDiff, after.get(l)[0].sub(expectedMean).amaxNumber().doubleValue());
        }
        assertTrue(maxDiff > 1e-6, "ADV's averages should follow the adversarial batch, not the clean one");
    }

    private static void assertCleanOnly(TrainingObjective objective) {
        ClassifierGraph net = (ClassifierGraph) TestNetworks.build(NetworkFactory.SMALL_RESNET, 8, DataType.DOUBLE, 3);
        INDArray x = TestNetworks.images(8, 8, DataType.DOUBLE, 1);
        INDArray y = TestNetworks.oneHot(8, 10, DataType.DOUBLE, 2);
        List<INDArray[]> before = movingAverages(net);
        List<INDArray[]> clean = batchStatistics(net, x);
        INDArray paramsBefore = net.params().dup();
        ObjectiveHook.bind(net, objective, 1);
        net.fit(new DataSet(x, y));
        List<INDArray[]> after = movingAverages(net);
        assertEquals(before.size(), clean.size());
        assertTrue(before.size() >= 5);
        for (int l = 0; l < before.size(); l++) {
            INDArray expectedMean = before.get(l)[0].mul(DECAY).addi(clean.get(l)[0].mul(1 - DECAY));
            INDArray expectedVar = before.get(l)[1].mul(DECAY).addi(clean.get(l)[1].mul(1 - DECAY));
            assertTrue(after.get(l)[0].sub(expectedMean).amaxNumber().doubleValue() < 1e-10,
                    objective.name() + ": moving mean of batch norm " + l);
            assertTrue(after.get(l)[1].sub(expectedVar).amaxNumber().doubleValue() < 1e-10,
                    objective.name() + ": moving variance of batch norm " + l);
        }
        assertTrue(net.params().sub(paramsBefore).amaxNumber().doubleValue() > 0, "the step changed no weights");
    }

    /** Per batch-norm layer: the clean batch's mean and (biased) variance, measured by one live forward pass. */
    private static List<INDArray[]> batchStatistics(ClassifierGraph net, INDArray x) {
        net.logits(x, BatchStatistics.LIVE);
        List<INDArray[]> out = new ArrayList<>();
        for (Layer l : net.getLayers()) {
            if (l instanceof CleanStatsBatchNormLayer bn) {
                out.add(bn.cleanStatistics());
            }
        }
        return out;
    }

    /** Per batch-norm layer: moving mean and moving variance (stored by DL4J as log10 of the std). */
    private static List<INDArray[]> movingAverages(ClassifierGraph net) {
        List<INDArray[]> out = new ArrayList<>();
        for (Layer l : net.getLayers()) {
            if (l instanceof CleanStatsBatchNormLayer) {
                INDArray mean = l.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).dup().reshape(-1);
                INDArray log10Std = l.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).dup().reshape(-1);
                INDArray std = Transforms.pow(Nd4j.valueArrayOf(log10Std.shape(), 10.0, DataType.DOUBLE), log10Std, false);
                out.add(new INDArray[]{mean, std.mul(std)});
            }
        }
        return out;
    }
}
