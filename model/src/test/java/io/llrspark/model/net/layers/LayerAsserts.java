package io.llrspark.model.net.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
