package io.llrspark.model.net.arch;

import io.llrspark.model.TestNetworks;
import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradients;
import io.llrspark.model.net.Pass;
import io.llrspark.model.net.SoftmaxCrossEntropyLoss;
import io.llrspark.model.net.dl4j.ClassifierGraph;
import io.llrspark.model.net.dl4j.ClassifierNetwork;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
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

    /** SmallCNN activates after pooling: the same function, and gradient, as the textbook conv-activation-pool order. */
    @Test
    void activationAfterPoolingIsTheSameFunction() {
        for (String activation : new String[]{"softplus", "relu"}) {
            IActivation act = NetworkFactory.activation(activation);
            ClassifierNetwork textbook = new ClassifierNetwork(new NeuralNetConfiguration.Builder().seed(3)
                    .dataType(DataType.DOUBLE).convolutionMode(ConvolutionMode.Same).list()
                    .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).activation(act).build())
                    .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                    .layer(new ConvolutionLayer.Builder(3, 3).nOut(64).activation(act).build())
                    .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                    .layer(new DenseLayer.Builder().nOut(128).activation(act).build())
                    .layer(new OutputLayer.Builder(new SoftmaxCrossEntropyLoss()).nOut(10)
                            .activation(Activation.IDENTITY).build())
                    .setInputType(InputType.convolutional(12, 12, 1)).build());
            textbook.init();
            ClassifierNetwork ours = (ClassifierNetwork) NetworkFactory.build(new NetworkSpec(NetworkFactory.SMALL_CNN,
                    activation, 1, 12, 12, 10, DataType.DOUBLE, 5, 1e-3));
            ours.setParams(textbook.params());
            INDArray x = TestNetworks.images(6, 12, DataType.DOUBLE, 2);
            INDArray labels = org.nd4j.linalg.factory.Nd4j.eye(10).getRows(1, 4, 7, 0, 9, 2).castTo(DataType.DOUBLE);
            Pass a = textbook.pass(x, LogitGradients.crossEntropy(labels), BatchStatistics.LIVE);
            Pass b = ours.pass(x, LogitGradients.crossEntropy(labels), BatchStatistics.LIVE);
            assertEquals(0, a.logits().sub(b.logits()).amaxNumber().doubleValue(), 1e-12, activation + " logits");
            assertEquals(0, a.inputGradient().sub(b.inputGradient()).amaxNumber().doubleValue(), 1e-12, activation);
            assertEquals(0, a.paramGradient().sub(b.paramGradient()).amaxNumber().doubleValue(), 1e-12, activation);
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
