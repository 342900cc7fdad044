package io.llrspark.model.net.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the layer tests compare arrays: the same shape, and the largest difference relative to the largest value. */
final class LayerAsserts {
    private LayerAsserts() {
    }

    static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what);
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double error = expected.sub(actual).amaxNumber().doubleValue() / scale;
        assertTrue(error <= tolerance, what + ": max error relative to max magnitude " + error + " > " + tolerance);
    }

    /**
     * The network written and read back with ModelSerializer keeps our layer at {@code index} and computes the same
     * output on [2, 3, size, size] images.
     */
    static void assertRoundTrip(MultiLayerNetwork net, int index, Class<? extends Layer> layer, int size)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()));
        assertInstanceOf(layer, restored.getLayer(index));
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, size, size);
        assertClose(net.output(x), restored.output(x), 0, "restored output");
    }
}
