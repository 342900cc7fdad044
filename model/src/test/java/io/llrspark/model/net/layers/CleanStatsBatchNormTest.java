package io.llrspark.model.net.layers;

import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.dl4j.ClassifierGraph;
import io.llrspark.model.net.LogitGradients;
import io.llrspark.model.net.arch.NetworkFactory;
import io.llrspark.model.net.arch.NetworkSpec;
import io.llrspark.model.net.SoftmaxCrossEntropyLoss;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our batch normalization (libnd4j's batchnorm/batchnorm_bp ops) computes what DL4J's layer computes in a training
 * pass with batch statistics and in inference with the moving averages: outputs, input gradient, gamma and beta
 * gradients and the moving-average pseudo-gradients, in float32 (the oneDNN path) for both variance parameterizations.
 */
class CleanStatsBatchNormTest {

    @ParameterizedTest(name = "useLogStd={0}")
    @ValueSource(booleans = {true, false})
    void matchesDl4jBatchNormalization(boolean useLogStd) {
        // 4×3 planes run the Vector API kernels' scalar tails only; 9×9 = 81 their SIMD lanes (and a tail).
        matchesDl4j(useLogStd, 6, 4, 3);
        matchesDl4j(useLogStd, 4, 9, 9);
    }

    private void matchesDl4j(boolean useLogStd, int n, int h, int w) {
        CleanStatsBatchNormalization ours = CleanStatsBatchNormalization.of(5, 0.9);
        ours.setUseLogStd(useLogStd);
        BatchNormalization reference = new BatchNormalization.Builder().nIn(5).nOut(5).decay(0.9).eps(ours.getEps())
                .useLogStd(useLogStd).build();
        MultiLayerNetwork expected = network(reference, h, w);
        MultiLayerNetwork actual = network(ours, h, w);
        assertInstanceOf(CleanStatsBatchNormLayer.class, actual.getLayer(0));
        // Non-trivial gamma, beta and moving averages, so that a mix-up shows.
        INDArray params = Nd4j.rand(DataType.FLOAT, expected.params().shape()).addi(0.5);
        expected.setParams(params);
        actual.setParams(params);
        INDArray x = Nd4j.randn(DataType.FLOAT, n, 5, h, w).muli(2).addi(1);
        INDArray labels = Nd4j.eye(4).getRows(java.util.Arrays.copyOf(new int[]{0, 1, 2, 3, 1, 0}, n))
                .castTo(DataType.FLOAT);
        assertClose(expected.output(x, false), actual.output(x, false), "inference output");
        assertClose(expected.feedForward(x, true).get(1), actual.feedForward(x, true).get(1), "training output");
        Pair<Gradient, INDArray> e = expected.calculateGradients(x, labels, null, null);
        Pair<Gradient, INDArray> a = actual.calculateGradients(x, labels, null, null);
        assertClose(e.getSecond(), a.getSecond(), "input gradient");
        assertEquals(e.getFirst().gradientForVariable().keySet(), a.getFirst().gradientForVariable().keySet());
        for (String key : e.getFirst().gradientForVariable().keySet()) {
            assertClose(e.getFirst().getGradientFor(key), a.getFirst().getGradientFor(key), key);
        }
    }

    private static MultiLayerNetwork network(Layer batchNorm, int h, int w) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(2).dataType(DataType.FLOAT)
                .updater(new NoOp()).list()
                .layer(batchNorm)
                .layer(new OutputLayer.Builder(new SoftmaxCrossEntropyLoss()).nOut(4)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(h, w, 5))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * An attack on a residual graph evaluated with the moving averages: the input gradient's backward pass needs the
     * moving variance after the forward pass's working memory has closed (and it must match the same pass on the
     * saved, restored network, as executors run it).
     */
    @org.junit.jupiter.api.Test
    void movingAverageInputGradientOnAGraphSurvivesItsForwardPass() throws Exception {
        Classifier net = NetworkFactory.build(new NetworkSpec(NetworkFactory.SMALL_RESNET, "softplus", 3, 8, 8, 4,
                DataType.FLOAT, 5, 1e-3));
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 8, 8);
        INDArray y = Nd4j.eye(4).castTo(DataType.FLOAT);
        INDArray grad = net.inputPass(x, LogitGradients.crossEntropy(y), BatchStatistics.MOVING_AVERAGE)
                .inputGradient().dup();
        java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
        org.deeplearning4j.util.ModelSerializer.writeModel(net.model(), zip, true);
        Classifier restored = ClassifierGraph.of(org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(
                new java.io.ByteArrayInputStream(zip.toByteArray()), true));
        INDArray again = restored.inputPass(x, LogitGradients.crossEntropy(y), BatchStatistics.MOVING_AVERAGE)
                .inputGradient();
        assertTrue(grad.equalsWithEps(again, 1e-6), "restored network, same input gradient");
        assertTrue(grad.amaxNumber().doubleValue() > 0);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what);
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double error = expected.sub(actual).amaxNumber().doubleValue() / scale;
        assertTrue(error <= 1e-4, what + ": max error relative to max magnitude " + error);
    }
}
