package io.llrspark.model.net.layers;

import io.llrspark.model.TestNetworks;
import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.dl4j.ClassifierNetwork;
import io.llrspark.model.net.kernels.VectorKernelsInTests;
import io.llrspark.model.net.kernels.VectorSupport;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StableSoftPlusTest {

    @Test
    void finiteEverywhereAndExactWhereNd4jIsFine() {
        float[] xs = {-1000f, -100f, -5f, -0.5f, 0f, 0.5f, 5f, 50f, 89f, 100f, 1000f};
        INDArray x = Nd4j.createFromArray(xs);
        INDArray y = new StableSoftPlus().getActivation(x.dup(), true);
        INDArray d = new StableSoftPlus().backprop(x.dup(), Nd4j.onesLike(x)).getFirst();
        for (int i = 0; i < xs.length; i++) {
            double expected = Math.max(xs[i], 0) + Math.log1p(Math.exp(-Math.abs(xs[i])));
            assertEquals(expected, y.getDouble(i), 1e-6 * Math.max(1, Math.abs(expected)), "softplus(" + xs[i] + ")");
            double sigmoid = 1 / (1 + Math.exp(-xs[i]));
            assertEquals(sigmoid, d.getDouble(i), 1e-6, "derivative at " + xs[i]);
        }
        assertTrue(Double.isFinite(y.sumNumber().doubleValue()) && Double.isFinite(d.sumNumber().doubleValue()));
    }

    /**
     * The Vector API path (SIMD lanes, the scalar tail, the split over threads) against softplus and sigmoid computed
     * in double, over values from −120 to 120; the build runs the tests with the module, so this is the path training
     * takes.
     */
    @Test
    void vectorPathMatchesDoublePrecision() {
        VectorKernelsInTests.require();
        int n = 7 * 42_859;
        java.util.Random random = new java.util.Random(3);
        float[] xs = new float[n];
        float[] gs = new float[n];
        for (int i = 0; i < n; i++) {
            xs[i] = (float) ((random.nextDouble() * 2 - 1) * (i % 7 == 0 ? 120 : 8));
            gs[i] = (float) random.nextGaussian();
        }
        INDArray x = Nd4j.createFromArray(xs).reshape(7, 42_859).dup('c');
        assertTrue(VectorSupport.applicable(x));
        INDArray y = new StableSoftPlus().getActivation(x.dup(), true);
        INDArray d = new StableSoftPlus().backprop(x.dup(), Nd4j.createFromArray(gs).reshape(x.shape())).getFirst();
        float[] ys = y.data().asFloat();
        float[] ds = d.data().asFloat();
        for (int i = 0; i < n; i++) {
            double expected = Math.max(xs[i], 0) + Math.log1p(Math.exp(-Math.abs(xs[i])));
            assertEquals(expected, ys[i], 2e-7 * Math.max(1, Math.abs(expected)), "softplus(" + xs[i] + ") at " + i);
            double derivative = gs[i] / (1 + Math.exp(-xs[i]));
            assertEquals(derivative, ds[i], 1e-6 * Math.max(1, Math.abs(derivative)), "derivative at " + xs[i]);
        }
        // A strided view is no buffer the lanes can walk: the ND4J ops take it, with the same values.
        INDArray column = x.getColumn(5);
        assertTrue(!VectorSupport.applicable(column));
        INDArray viaOps = new StableSoftPlus().getActivation(column.dup('f'), true);
        assertTrue(viaOps.equalsWithEps(y.getColumn(5), 1e-5));
    }

    @Test
    void derivativeMatchesFiniteDifferencesInDouble() {
        INDArray x = Nd4j.linspace(DataType.DOUBLE, -30, 30, 61);
        INDArray d = new StableSoftPlus().backprop(x.dup(), Nd4j.onesLike(x)).getFirst();
        double h = 1e-5;
        INDArray up = new StableSoftPlus().getActivation(x.add(h), true);
        INDArray down = new StableSoftPlus().getActivation(x.sub(h), true);
        INDArray fd = up.sub(down).divi(2 * h);
        assertTrue(fd.sub(d).amaxNumber().doubleValue() < 1e-8, "max error " + fd.sub(d).amaxNumber());
    }

    @Test
    void networksWithItSurviveModelSerializer() throws IOException {
        Classifier net = TestNetworks.build("small-cnn", 12, DataType.FLOAT, 7);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net.model(), bytes, true);
        Classifier back = ClassifierNetwork.of(ModelSerializer.restoreMultiLayerNetwork(
                new ByteArrayInputStream(bytes.toByteArray()), true));
        INDArray x = TestNetworks.images(4, 12, DataType.FLOAT, 3);
        assertEquals(0.0, net.logits(x, BatchStatistics.MOVING_AVERAGE)
                .sub(back.logits(x, BatchStatistics.MOVING_AVERAGE)).amaxNumber().doubleValue(), 1e-6);
    }
}
