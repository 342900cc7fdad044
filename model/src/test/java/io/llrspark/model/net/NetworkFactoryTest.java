package io.llrspark.model.net;

import io.llrspark.model.TestNetworks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkFactoryTest {

    /** DL4J's batch norm ignores its activation: the nonlinearity must really be applied, so the choice must matter. */
    @Test
    void activationChoiceChangesTheFunction() {
        INDArray x = TestNetworks.images(4, 12, DataType.FLOAT, 1);
        for (String architecture : new String[]{NetworkFactory.SMALL_CNN, NetworkFactory.SMALL_RESNET}) {
            INDArray softplus = build(architecture, "softplus").logits(x, BatchStatistics.MOVING_AVERAGE);
            INDArray relu = build(architecture, "relu").logits(x, BatchStatistics.MOVING_AVERAGE);
            assertEquals(10, softplus.size(1));
            assertTrue(softplus.sub(relu).amaxNumber().doubleValue() > 1e-3, architecture + ": activation had no effect");
        }
    }

    @Test
    void networkKindsAndErrors() {
        assertTrue(build(NetworkFactory.SMALL_CNN, "relu") instanceof ClassifierNetwork);
        Classifier resnet = build(NetworkFactory.SMALL_RESNET, "relu");
        assertTrue(resnet instanceof ClassifierGraph);
        assertTrue(resnet.hasBatchNormalization());
        assertTrue(resnet.pseudoGradientMask().sumNumber().doubleValue() > 0);
        assertEquals(0.0, build(NetworkFactory.SMALL_CNN, "relu").pseudoGradientMask().sumNumber().doubleValue());
        assertThrows(IllegalArgumentException.class, () -> build("vgg", "relu"));
        assertThrows(IllegalArgumentException.class, () -> build(NetworkFactory.SMALL_CNN, "tanh"));
    }

    private static Classifier build(String architecture, String activation) {
        return NetworkFactory.build(new NetworkSpec(architecture, activation, 1, 12, 12, 10, DataType.FLOAT, 7, 1e-3));
    }
}
