package io.llrspark.model.net.arch;

import io.llrspark.model.TestNetworks;
import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.LogitGradients;
import io.llrspark.model.net.Pass;
import io.llrspark.model.net.dl4j.ClassifierGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The full-size networks build with the published sizes and run a training pass at their input resolution. */
class ResidualNetworksTest {

    @Test
    void resNet152HasAboutSixtyMillionParametersAndTrainsAt224() {
        ClassifierGraph net = (ClassifierGraph) NetworkFactory.build(new NetworkSpec(NetworkFactory.RESNET_152,
                "softplus", 3, 224, 224, 1000, DataType.FLOAT, 1, 1e-3));
        // 60.2 M trainable weights in the published model; DL4J also counts batch norm's two moving averages.
        long trainable = net.numParams() - movingAverageCount(net);
        assertTrue(Math.abs(trainable - 60_192_808L) < 100_000, "trainable parameters: " + trainable);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 224, 224);
        Pass pass = net.pass(x, LogitGradients.crossEntropy(TestNetworks.oneHot(2, 1000, DataType.FLOAT, 1)),
                BatchStatistics.LIVE);
        assertArrayEquals(new long[]{2, 1000}, pass.logits().shape());
        assertArrayEquals(x.shape(), pass.inputGradient().shape());
        assertTrue(pass.inputGradient().amaxNumber().doubleValue() > 0, "the input gradient reaches the pixels");
        assertTrue(Double.isFinite(pass.paramGradient().norm2Number().doubleValue()));
    }

    @Test
    void resNet50AndWideResNet28x8HaveThePublishedSizes() {
        ClassifierGraph resNet50 = (ClassifierGraph) NetworkFactory.build(new NetworkSpec(NetworkFactory.RESNET_50,
                "relu", 3, 224, 224, 1000, DataType.FLOAT, 1, 1e-3));
        long resNet50Trainable = resNet50.numParams() - movingAverageCount(resNet50);
        assertTrue(Math.abs(resNet50Trainable - 25_557_032L) < 100_000, "ResNet-50: " + resNet50Trainable);
        ClassifierGraph wrn = (ClassifierGraph) NetworkFactory.build(new NetworkSpec("wrn-28-8", "softplus", 3, 32, 32,
                10, DataType.FLOAT, 1, 1e-3));
        long wrnTrainable = wrn.numParams() - movingAverageCount(wrn);
        // 23.35 M for WRN-28-8 on CIFAR-10 (Zagoruyko and Komodakis count 23.4 M).
        assertTrue(Math.abs(wrnTrainable - 23_350_000L) < 200_000, "WRN-28-8: " + wrnTrainable);
    }

    private static long movingAverageCount(ClassifierGraph net) {
        return net.pseudoGradientMask().sumNumber().longValue();
    }
}
