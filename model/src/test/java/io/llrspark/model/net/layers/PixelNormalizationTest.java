package io.llrspark.model.net.layers;

import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.dl4j.ClassifierGraph;
import io.llrspark.model.net.dl4j.ClassifierNetwork;
import io.llrspark.model.net.LogitGradients;
import io.llrspark.model.net.arch.NetworkFactory;
import io.llrspark.model.net.arch.NetworkSpec;
import io.llrspark.model.net.arch.OptimizerSpec;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PixelNormalizationTest {
    private static final double[] MEAN = {0.2, 0.5, 0.7};
    private static final double[] STD = {0.25, 0.5, 0.1};

    private static NetworkSpec spec(String architecture, PixelNormalization normalization) {
        return new NetworkSpec(architecture, "softplus", 3, 8, 8, 5, DataType.DOUBLE, 11, OptimizerSpec.adam(1e-3), 1.0,
                NetworkSpec.NATIVE,
                normalization);
    }

    private static INDArray normalized(INDArray x) {
        INDArray z = x.dup();
        Broadcast.sub(z, Nd4j.createFromArray(MEAN), z, 1);
        return Broadcast.div(z, Nd4j.createFromArray(STD), z, 1);
    }

    /**
     * The network with normalization on x is the same network without it on (x − mean)/std (same seed, same weights),
     * and its input gradient is the other's divided by std: the chain rule through the first operation.
     */
    @ParameterizedTest
    @ValueSource(strings = {NetworkFactory.SMALL_CNN, NetworkFactory.SMALL_RESNET})
    void normalizesFirstAndBackpropagatesThroughIt(String architecture) {
        Classifier with = NetworkFactory.build(spec(architecture, new PixelNormalization(MEAN, STD)));
        Classifier without = NetworkFactory.build(spec(architecture, null));
        assertEquals(without.model().params(), with.model().params(), "same parameters from the same seed");
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 3, 8, 8);
        INDArray y = Nd4j.eye(5).getRows(0, 3, 1, 4);
        INDArray z = normalized(x);
        INDArray logitsWith = with.logits(x, BatchStatistics.LIVE);
        INDArray logitsWithout = without.logits(z, BatchStatistics.LIVE);
        assertTrue(logitsWith.equalsWithEps(logitsWithout, 1e-10), logitsWith + " vs " + logitsWithout);

        INDArray gradWith = with.inputPass(x, LogitGradients.crossEntropy(y), BatchStatistics.LIVE).inputGradient().dup();
        INDArray gradWithout = without.inputPass(z, LogitGradients.crossEntropy(y), BatchStatistics.LIVE)
                .inputGradient().dup();
        INDArray expected = Broadcast.div(gradWithout.dup(), Nd4j.createFromArray(STD), gradWithout.dup(), 1);
        assertTrue(gradWith.equalsWithEps(expected, 1e-10), "input gradient divided by std per channel");
        assertTrue(gradWith.amaxNumber().doubleValue() > 0, "a gradient to compare");
    }

    @Test
    void savedModelsKeepTheirNormalization() throws Exception {
        Classifier graph = NetworkFactory.build(spec(NetworkFactory.SMALL_RESNET, new PixelNormalization(MEAN, STD)));
        Classifier cnn = NetworkFactory.build(spec(NetworkFactory.SMALL_CNN, new PixelNormalization(MEAN, STD)));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 8, 8);
        for (Classifier net : new Classifier[]{graph, cnn}) {
            ByteArrayOutputStream zip = new ByteArrayOutputStream();
            ModelSerializer.writeModel(net.model(), zip, true);
            Classifier restored = net instanceof ClassifierGraph
                    ? ClassifierGraph.of(ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip.toByteArray()), true))
                    : ClassifierNetwork.of(ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip.toByteArray()), true));
            assertEquals(net.logits(x, BatchStatistics.MOVING_AVERAGE), restored.logits(x, BatchStatistics.MOVING_AVERAGE));
        }
        assertTrue(((ComputationGraph) graph.model()).getConfiguration().toJson().contains("PixelNormalization"));
        assertEquals(new PixelNormalization(MEAN, STD),
                ((MultiLayerNetwork) cnn.model()).getLayerWiseConfigurations().getInputPreProcess(0));
    }

    @Test
    void defaultsFollowTheAuthorsModelsAndRejectNonsense() {
        PixelNormalization imagenet = NetworkFactory.defaultNormalization(NetworkFactory.RESNET_50, 3);
        assertNotNull(imagenet);
        assertEquals(0.5, imagenet.mean()[1]);
        assertEquals(0.5, imagenet.std()[2]);
        PixelNormalization cifar = NetworkFactory.defaultNormalization("wrn-28-8", 3);
        assertNotNull(cifar);
        assertEquals(125.3 / 255, cifar.mean()[0], 1e-12);
        assertNull(NetworkFactory.defaultNormalization(NetworkFactory.SMALL_CNN, 3));
        assertNull(NetworkFactory.defaultNormalization("wrn-28-8", 1), "CIFAR's statistics fit only 3 channels");
        assertThrows(IllegalArgumentException.class, () -> new PixelNormalization(new double[]{0.5}, new double[]{0}));
        assertThrows(IllegalArgumentException.class, () -> new PixelNormalization(new double[]{0.5, 1}, new double[]{1}));
        Classifier net = NetworkFactory.build(spec(NetworkFactory.SMALL_RESNET, new PixelNormalization(MEAN, STD)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.logits(Nd4j.rand(DataType.DOUBLE, 2, 1, 8, 8), BatchStatistics.LIVE));
        assertTrue(e.getMessage().contains("3 channels"), e.getMessage());
    }
}
