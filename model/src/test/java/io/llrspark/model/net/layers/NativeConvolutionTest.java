package io.llrspark.model.net.layers;

import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.dl4j.ClassifierNetwork;
import io.llrspark.model.net.LogitGradients;
import io.llrspark.model.net.arch.NetworkFactory;
import io.llrspark.model.net.arch.NetworkSpec;
import io.llrspark.model.net.Pass;
import io.llrspark.model.net.SoftmaxCrossEntropyLoss;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link NativeConvolution} computes what DL4J's convolution layer computes (outputs, input gradients, weight and bias
 * gradients) over the shapes our networks use, in float32 (the oneDNN path) and float64, and passes a finite-difference
 * gradient check of its own.
 */
class NativeConvolutionTest {

    @ParameterizedTest(name = "{0}x{0} stride {1} {2} bias={3} {4} input {5}x{6} {7}")
    @CsvSource({
            "3, 1, Same, true, softplus, 12, 12, FLOAT",
            "3, 2, Same, false, identity, 12, 12, FLOAT",
            "3, 2, Same, false, identity, 11, 9, FLOAT",
            "1, 2, Same, false, identity, 10, 10, FLOAT",
            "3, 1, Truncate, true, relu, 9, 11, FLOAT",
            "3, 2, Same, true, softplus, 11, 9, DOUBLE",
    })
    void matchesDl4jConvolution(int kernel, int stride, ConvolutionMode mode, boolean bias, String activation,
                                int height, int width, DataType type) {
        MultiLayerNetwork reference = network(kernel, stride, mode, bias, activation, height, width, type, false);
        MultiLayerNetwork candidate = network(kernel, stride, mode, bias, activation, height, width, type, true);
        assertInstanceOf(NativeConvolutionLayer.class, candidate.getLayer(0));
        candidate.setParams(reference.params());
        INDArray x = Nd4j.rand(type, 5, 3, height, width);
        INDArray labels = Nd4j.zeros(type, 5, 4);
        for (int i = 0; i < 5; i++) {
            labels.putScalar(i, i % 4, 1.0);
        }
        double tolerance = type == DataType.FLOAT ? 1e-4 : 1e-10;
        LayerAsserts.assertClose(reference.output(x, false), candidate.output(x, false), tolerance, "inference output");
        Pair<Gradient, INDArray> expected = reference.calculateGradients(x, labels, null, null);
        Pair<Gradient, INDArray> actual = candidate.calculateGradients(x, labels, null, null);
        LayerAsserts.assertClose(expected.getSecond(), actual.getSecond(), tolerance, "input gradient");
        for (String key : expected.getFirst().gradientForVariable().keySet()) {
            LayerAsserts.assertClose(expected.getFirst().getGradientFor(key), actual.getFirst().getGradientFor(key), tolerance, key);
        }
    }

    /** Attack passes take the transposed-convolution route (stride 1; cropped for even kernels): the same input gradient. */
    @ParameterizedTest(name = "{0}x{0} stride {1} {2} input {3} {4}")
    @CsvSource({
            "3, 1, Same, 12, FLOAT",
            "2, 1, Same, 11, FLOAT",
            "3, 2, Same, 12, FLOAT",
            "3, 2, Same, 11, FLOAT",
            "1, 2, Same, 10, FLOAT",
            "3, 2, Truncate, 12, FLOAT",
            "3, 2, Same, 12, DOUBLE",
    })
    void inputPassGivesThePassInputGradient(int kernel, int stride, ConvolutionMode mode, int size, DataType type) {
        MultiLayerNetwork built = network(kernel, stride, mode, true, "softplus", size, size, type, true);
        ClassifierNetwork net = new ClassifierNetwork(built.getLayerWiseConfigurations());
        net.init(built.params(), true);
        INDArray x = Nd4j.rand(type, 5, 3, size, size);
        INDArray labels = Nd4j.zeros(type, 5, 4);
        for (int i = 0; i < 5; i++) {
            labels.putScalar(i, (i + 1) % 4, 1.0);
        }
        Pass full = net.pass(x, LogitGradients.crossEntropy(labels), BatchStatistics.LIVE);
        Pass input = net.inputPass(x, LogitGradients.crossEntropy(labels), BatchStatistics.LIVE);
        LayerAsserts.assertClose(full.logits(), input.logits(), 0, "logits");
        LayerAsserts.assertClose(full.inputGradient(), input.inputGradient(), type == DataType.FLOAT ? 1e-5 : 1e-12,
                "input gradient");
        assertEquals(null, input.paramGradient());
        // The next full pass must produce weight gradients again.
        LayerAsserts.assertClose(full.paramGradient(), net.pass(x, LogitGradients.crossEntropy(labels), BatchStatistics.LIVE)
                .paramGradient(), 0, "weight gradient after an input pass");
    }

    /**
     * Weight passes skip the input gradient of the layers reading the network's input (the direct kernels for few
     * channels, conv2d_bp otherwise): the same logits and weight gradient as a full pass, in a plain network and a
     * graph, in float32 and float64.
     */
    @ParameterizedTest(name = "{0} {1} channels {2}")
    @CsvSource({
            "small-cnn, 1, FLOAT",
            "small-cnn, 3, FLOAT",
            "small-cnn, 4, FLOAT",
            "small-resnet, 1, FLOAT",
            "small-resnet, 3, FLOAT",
            "small-cnn, 1, DOUBLE",
            "small-resnet, 3, DOUBLE",
    })
    void weightPassGivesThePassWeightGradient(String architecture, int channels, DataType type) {
        Classifier net = NetworkFactory.build(new NetworkSpec(architecture, "softplus", channels, 8, 8, 4, type, 5,
                1e-3));
        INDArray x = Nd4j.rand(type, 6, channels, 8, 8);
        INDArray labels = Nd4j.zeros(type, 6, 4);
        for (int i = 0; i < 6; i++) {
            labels.putScalar(i, (i + 2) % 4, 1.0);
        }
        Pass full = net.pass(x, LogitGradients.crossEntropy(labels), BatchStatistics.LIVE);
        Pass weights = net.weightPass(x, LogitGradients.crossEntropy(labels), BatchStatistics.LIVE);
        assertEquals(null, weights.inputGradient());
        LayerAsserts.assertClose(full.logits(), weights.logits(), 0, "logits");
        LayerAsserts.assertClose(full.paramGradient(), weights.paramGradient(), type == DataType.FLOAT ? 1e-5 : 1e-12,
                "weight gradient");
        // The next full pass must produce the input gradient again.
        LayerAsserts.assertClose(full.inputGradient(), net.pass(x, LogitGradients.crossEntropy(labels), BatchStatistics.LIVE)
                .inputGradient(), 0, "input gradient after a weight pass");
    }

    @Test
    void passesGradientCheck() {
        MultiLayerNetwork net = network(3, 2, ConvolutionMode.Same, true, "softplus", 7, 6, DataType.DOUBLE, true);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 3, 7, 6);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 3, 4);
        labels.putScalar(0, 1, 1.0).putScalar(1, 3, 1.0).putScalar(2, 0, 1.0);
        DataType defaultType = Nd4j.dataType();
        DataType defaultFloatType = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x)
                    .labels(labels).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).subset(false)));
        } finally {
            Nd4j.setDefaultDataTypes(defaultType, defaultFloatType);
        }
    }

    @Test
    void savedNetworkLoadsWithTheNativeLayer() throws IOException {
        LayerAsserts.assertRoundTrip(network(3, 1, ConvolutionMode.Same, true, "softplus", 8, 8, DataType.FLOAT, true), 0,
                NativeConvolutionLayer.class, 8);
    }

    private static MultiLayerNetwork network(int kernel, int stride, ConvolutionMode mode, boolean bias,
                                             String activation, int height, int width, DataType type, boolean nativeOps) {
        IActivation act = activation.equals("identity") ? Activation.IDENTITY.getActivationFunction()
                : NetworkFactory.activation(activation);
        ConvolutionLayer.Builder conv = new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(6)
                .hasBias(bias).activation(act).convolutionMode(mode);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(11).dataType(type).updater(new NoOp()).list()
                .layer(nativeOps ? NativeConvolution.of(conv) : conv.build())
                .layer(new OutputLayer.Builder(new SoftmaxCrossEntropyLoss()).nOut(4)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(height, width, 3))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        if (bias) {
            // Non-zero biases, so a bias mix-up shows.
            net.getLayer(0).getParam("b").assign(Nd4j.rand(type, 1, 6).subi(0.5));
        }
        return net;
    }
}
