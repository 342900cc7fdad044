package io.llrspark.model.net.layers;

import io.llrspark.model.net.dl4j.ClassifierGraph;
import io.llrspark.model.net.dl4j.ClassifierNetwork;
import io.llrspark.model.net.arch.NetworkFactory;
import io.llrspark.model.net.arch.NetworkSpec;
import io.llrspark.model.net.kernels.VectorConvolution;
import io.llrspark.model.net.kernels.VectorKernelsInTests;
import io.llrspark.model.net.kernels.VectorSupport;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The direct convolution (forward, input and weight gradients) against libnd4j's conv2d and conv2d_bp (which the layers' gradient checks cover) to float32
 * rounding: one and three input channels, square and oblong odd kernels, planes narrower and wider than a SIMD vector
 * with tails, with and without bias; and it declines what it does not handle.
 */
class VectorConvolutionTest {
    private static final int SAME = 1;

    @Test
    void matchesLibnd4jForwardAndWeightGradient() {
        VectorKernelsInTests.require();
        int[][] cases = {
                // n, ci, h, w, co, kh, kw
                {3, 1, 7, 5, 4, 3, 3},
                {2, 3, 9, 17, 5, 3, 3},
                {2, 1, 6, 6, 3, 5, 5},
                {4, 1, 28, 28, 8, 3, 3},
                {2, 1, 5, 23, 2, 3, 5},
                {1, 2, 4, 3, 3, 1, 1},
        };
        for (int[] c : cases) {
            for (boolean bias : new boolean[]{true, false}) {
                check(c[0], c[1], c[2], c[3], c[4], c[5], c[6], bias);
            }
        }
    }

    @Test
    void declinesWhatItDoesNotHandle() {
        VectorKernelsInTests.require();
        int[] one = {1, 1};
        int[] none = {0, 0};
        assertTrue(VectorConvolution.handles(3, new int[]{3, 3}, one, one, one));
        assertFalse(VectorConvolution.handles(4, new int[]{3, 3}, one, one, one), "36 taps: oneDNN's GEMM wins");
        assertFalse(VectorConvolution.handles(1, new int[]{3, 3}, new int[]{2, 2}, one, one), "strided");
        assertFalse(VectorConvolution.handles(1, new int[]{3, 3}, one, none, one), "no padding");
        assertFalse(VectorConvolution.handles(1, new int[]{2, 2}, one, one, one), "even kernel");
        assertFalse(VectorConvolution.handles(1, new int[]{3, 3}, one, one, new int[]{2, 2}), "dilated");
    }

    /**
     * The networks' first layers take the kernels on real batches: one-channel images ([N, 1, H, W], whose strides ND4J
     * does not call default) and three-channel ones; later layers (32 channels) do not.
     */
    @Test
    void firstLayersOfTheNetworksRunTheKernels() {
        VectorKernelsInTests.require();
        for (int channels : new int[]{1, 3}) {
            ClassifierNetwork cnn = (ClassifierNetwork) NetworkFactory.build(new NetworkSpec(NetworkFactory.SMALL_CNN,
                    "softplus", channels, 28, 28, 10, DataType.FLOAT, 1, 1e-3));
            INDArray x = Nd4j.rand(DataType.FLOAT, 4, channels, 28, 28);
            assertTrue(((NativeConvolutionLayer) cnn.getLayer(0)).direct(x), channels + " channels");
            assertFalse(((NativeConvolutionLayer) cnn.getLayer(3)).direct(Nd4j.rand(DataType.FLOAT, 4, 32, 14, 14)));
            ClassifierGraph graph = (ClassifierGraph) NetworkFactory.build(new NetworkSpec(
                    NetworkFactory.SMALL_RESNET, "softplus", channels, 28, 28, 10, DataType.FLOAT, 1, 1e-3));
            assertTrue(((NativeConvolutionLayer) graph.getLayer("stem_conv")).direct(x), channels + " channels");
        }
        assertTrue(VectorSupport.denseInCOrder(Nd4j.create(DataType.FLOAT, 4, 1, 28, 28)));
        assertTrue(VectorSupport.denseInCOrder(Nd4j.create(DataType.FLOAT, 1, 1, 1)));
        assertFalse(VectorSupport.denseInCOrder(Nd4j.create(DataType.FLOAT, new long[]{4, 3, 5, 5}, 'f')));
        assertFalse(VectorSupport.denseInCOrder(Nd4j.create(DataType.FLOAT, 4, 6).get(
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3))));
    }

    private static void check(int n, int ci, int h, int w, int co, int kh, int kw, boolean withBias) {
        String name = String.format("n%d ci%d %dx%d co%d k%dx%d bias %s", n, ci, h, w, co, kh, kw, withBias);
        Nd4j.getRandom().setSeed(n * 1000L + ci * 100 + h * 10 + w + co + kh);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, ci, h, w).subi(0.5);
        INDArray weights = Nd4j.rand(DataType.FLOAT, co, ci, kh, kw).subi(0.5);
        INDArray bias = withBias ? Nd4j.rand(DataType.FLOAT, co).subi(0.5) : null;
        INDArray delta = Nd4j.rand(DataType.FLOAT, n, co, h, w).subi(0.5);
        int[] args = {kh, kw, 1, 1, kh / 2, kw / 2, 1, 1, SAME, 0, 1};

        INDArray expected = Nd4j.create(DataType.FLOAT, n, co, h, w);
        DynamicCustomOp.DynamicCustomOpsBuilder fwd = DynamicCustomOp.builder("conv2d").addOutputs(expected);
        fwd = withBias ? fwd.addInputs(x, weights, bias) : fwd.addInputs(x, weights);
        Nd4j.exec(fwd.addIntegerArguments(args).build());
        INDArray z = Nd4j.create(DataType.FLOAT, n, co, h, w).assign(Double.NaN);
        VectorConvolution.forward(x, weights, bias, z);
        assertClose(expected, z, name + ": forward");

        INDArray gx = Nd4j.create(DataType.FLOAT, n, ci, h, w);
        INDArray gwExpected = Nd4j.create(DataType.FLOAT, co, ci, kh, kw);
        INDArray gbExpected = Nd4j.create(DataType.FLOAT, co);
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, weights, withBias ? bias : Nd4j.zeros(co), delta)
                .addOutputs(gx, gwExpected, gbExpected).addIntegerArguments(args).build());
        INDArray dx = Nd4j.create(DataType.FLOAT, n, ci, h, w).assign(Double.NaN);
        VectorConvolution.inputGradient(delta, weights, dx);
        assertClose(gx, dx, name + ": input gradient");
        INDArray gw = Nd4j.create(DataType.FLOAT, co, ci, kh, kw).assign(Double.NaN);
        INDArray gb = withBias ? Nd4j.create(DataType.FLOAT, co).assign(Double.NaN) : null;
        VectorConvolution.weightGradient(x, delta, gw, gb);
        assertClose(gwExpected, gw, name + ": weight gradient");
        if (withBias) {
            assertClose(gbExpected, gb, name + ": bias gradient");
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = Math.max(1, expected.amaxNumber().doubleValue());
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-5 * scale, what + ": max difference " + diff + " at scale " + scale);
    }
}
