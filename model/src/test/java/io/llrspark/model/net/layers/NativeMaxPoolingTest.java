package io.llrspark.model.net.layers;

import io.llrspark.model.net.SoftmaxCrossEntropyLoss;
import io.llrspark.model.net.kernels.MaxPooling;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link NativeMaxPooling} pools as max pooling is defined: its outputs are window maxima computed here by brute force
 * (through the Java kernels for 2x2 windows at stride 2, through DL4J's layer for the others), the kernels' input
 * gradient is checked against finite differences of the loss, and they agree with DL4J's layer (within float
 * rounding, for the layers after them).
 */
class NativeMaxPoolingTest {

    @ParameterizedTest(name = "{0}x{0} stride {1} {2} input {3}x{4}")
    @CsvSource({
            "2, 2, Truncate, 12, 12",
            "2, 2, Truncate, 11, 9",
            "2, 2, Same, 11, 9",
            "3, 2, Same, 12, 12",
            "3, 2, Same, 11, 10",
            "3, 1, Same, 7, 8",
    })
    void outputsAreWindowMaxima(int kernel, int stride, ConvolutionMode mode, int height, int width) {
        MultiLayerNetwork net = network(kernel, stride, mode, height, width, true);
        assertInstanceOf(NativeMaxPoolingLayer.class, net.getLayer(1));
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 3, height, width).subi(0.5);
        INDArray conv = net.feedForwardToLayer(0, x, false).get(1);
        INDArray pooled = net.feedForwardToLayer(1, x, true).get(2);
        int[] pad = padding(kernel, stride, mode, height, width, (int) pooled.size(2), (int) pooled.size(3));
        for (int n = 0; n < conv.size(0); n++) {
            for (int c = 0; c < conv.size(1); c++) {
                for (int oy = 0; oy < pooled.size(2); oy++) {
                    for (int ox = 0; ox < pooled.size(3); ox++) {
                        double max = Double.NEGATIVE_INFINITY;
                        for (int ky = 0; ky < kernel; ky++) {
                            for (int kx = 0; kx < kernel; kx++) {
                                int y = oy * stride - pad[0] + ky;
                                int xx = ox * stride - pad[1] + kx;
                                if (y >= 0 && y < height && xx >= 0 && xx < width) {
                                    max = Math.max(max, conv.getDouble(n, c, y, xx));
                                }
                            }
                        }
                        assertEquals(max, pooled.getDouble(n, c, oy, ox), 0.0, "output " + n + "," + c + "," + oy
                                + "," + ox);
                    }
                }
            }
        }
    }

    /** The Java kernels take SmallCNN's windows; others go to DL4J's layer (whose maxima the test above checks too). */
    @Test
    void theKernelsTakeTwoByTwoWindowsAtStrideTwo() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 28, 28);
        assertTrue(MaxPooling.handles(new MaxPooling.Geometry(2, 3, 28, 28, 14, 14, 2, 2, 2, 2, 0, 0), x));
        assertTrue(MaxPooling.handles(new MaxPooling.Geometry(2, 3, 11, 9, 5, 4, 2, 2, 2, 2, 0, 0), x));
        assertFalse(MaxPooling.handles(new MaxPooling.Geometry(2, 3, 11, 9, 6, 5, 2, 2, 2, 2, 0, 0), x),
                "a window reaching past the plane (Same padding on odd sizes)");
        assertFalse(MaxPooling.handles(new MaxPooling.Geometry(2, 3, 28, 28, 14, 14, 3, 3, 2, 2, 0, 0), x));
        assertFalse(MaxPooling.handles(new MaxPooling.Geometry(2, 3, 28, 28, 14, 14, 2, 2, 2, 2, 0, 0),
                x.castTo(DataType.DOUBLE)));
    }

    @ParameterizedTest(name = "{0}x{0} stride {1} {2} input {3}x{4}")
    @CsvSource({
            "2, 2, Truncate, 12, 12",
            "2, 2, Truncate, 11, 9",
            "2, 2, Same, 28, 28",
    })
    void gradientsAgreeWithDl4jsLayer(int kernel, int stride, ConvolutionMode mode, int height, int width) {
        MultiLayerNetwork reference = network(kernel, stride, mode, height, width, false);
        MultiLayerNetwork candidate = network(kernel, stride, mode, height, width, true);
        candidate.setParams(reference.params());
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 3, height, width);
        INDArray labels = labels(5);
        LayerAsserts.assertClose(reference.output(x, false), candidate.output(x, false), 1e-6, "inference output");
        Pair<Gradient, INDArray> expected = reference.calculateGradients(x, labels, null, null);
        Pair<Gradient, INDArray> actual = candidate.calculateGradients(x, labels, null, null);
        LayerAsserts.assertClose(expected.getSecond(), actual.getSecond(), 1e-5, "input gradient");
        for (String key : expected.getFirst().gradientForVariable().keySet()) {
            LayerAsserts.assertClose(expected.getFirst().getGradientFor(key), actual.getFirst().getGradientFor(key), 1e-5, key);
        }
    }

    /**
     * The input gradient against central differences of the loss, one input element at a time (float32, the kernels'
     * type: the step is large enough for float rounding, small enough that no window's maximum changes place).
     */
    @Test
    void inputGradientMatchesFiniteDifferences() {
        MultiLayerNetwork net = network(2, 2, ConvolutionMode.Truncate, 9, 8, true);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 9, 8);
        INDArray labels = labels(2);
        INDArray analytic = net.calculateGradients(x, labels, null, null).getSecond().dup();
        double h = 1e-3;
        int checked = 0;
        for (long i = 0; i < x.length(); i += 7) {
            double original = x.getDouble(i);
            x.putScalar(i, original + h);
            double up = net.score(new org.nd4j.linalg.dataset.DataSet(x, labels), false);
            x.putScalar(i, original - h);
            double down = net.score(new org.nd4j.linalg.dataset.DataSet(x, labels), false);
            x.putScalar(i, original);
            double numeric = (up - down) / (2 * h) * x.size(0);
            double a = analytic.getDouble(i);
            assertEquals(numeric, a, 2e-3 + 0.05 * Math.abs(numeric), "input element " + i);
            checked++;
        }
        assertTrue(checked > 50);
    }

    /** A NaN in a window is pooled, not hidden: a poisoned activation must reach the loss. */
    @Test
    void aNanInAWindowIsItsMaximum() {
        MultiLayerNetwork net = network(2, 2, ConvolutionMode.Truncate, 6, 6, true);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, 6, 6);
        x.putScalar(new long[]{0, 1, 2, 3}, Float.NaN);
        assertTrue(Double.isNaN(net.output(x, false).sumNumber().doubleValue()));
    }

    @Test
    void savedNetworkLoadsWithTheNativeLayer() throws IOException {
        LayerAsserts.assertRoundTrip(network(2, 2, ConvolutionMode.Same, 8, 8, true), 1, NativeMaxPoolingLayer.class, 8);
    }

    /** conv 3x3 (identity) → max pooling → softmax output, so the pooling's input varies in sign and has ties rarely. */
    private static MultiLayerNetwork network(int kernel, int stride, ConvolutionMode mode, int height, int width,
                                             boolean nativePooling) {
        SubsamplingLayer.Builder pooling = new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(kernel, kernel)
                .stride(stride, stride).convolutionMode(mode);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(11).dataType(DataType.FLOAT)
                .updater(new NoOp()).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY)
                        .convolutionMode(ConvolutionMode.Same).build())
                .layer(nativePooling ? NativeMaxPooling.of(pooling) : pooling.build())
                .layer(new OutputLayer.Builder(new SoftmaxCrossEntropyLoss()).nOut(4).activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutional(height, width, 3))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static int[] padding(int kernel, int stride, ConvolutionMode mode, int h, int w, int oh, int ow) {
        if (mode != ConvolutionMode.Same) {
            return new int[]{0, 0};
        }
        return new int[]{Math.max(0, ((oh - 1) * stride + kernel - h) / 2), Math.max(0, ((ow - 1) * stride + kernel - w) / 2)};
    }

    private static INDArray labels(int n) {
        INDArray labels = Nd4j.zeros(DataType.FLOAT, n, 4);
        for (int i = 0; i < n; i++) {
            labels.putScalar(i, (i + 1) % 4, 1.0);
        }
        return labels;
    }
}
