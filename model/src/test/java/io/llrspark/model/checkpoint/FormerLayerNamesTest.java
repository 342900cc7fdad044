package io.llrspark.model.checkpoint;

import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.dl4j.ClassifierGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model saved while the layer classes lived in {@code net} (a tiny residual graph with every layer class of ours,
 * one training step taken, written by that code with its logits on a fixed input) still loads, and computes the
 * logits it computed then.
 */
class FormerLayerNamesTest {
    private static final String SAVED = "/checkpoints/resnet-tiny-saved-with-layers-in-net";

    @Test
    void aModelSavedBeforeTheLayersMovedLoadsAndGivesItsLogits() throws IOException {
        byte[] zip = resource(SAVED + ".zip");
        List<float[]> saved = savedArrays();
        Classifier net = new CheckpointStore.Blob("saved", zip, true).restore();
        assertInstanceOf(ClassifierGraph.class, net);
        INDArray x = Nd4j.createFromArray(saved.get(0)).reshape(2, 1, 8, 8);
        float[] logits = net.logits(x, BatchStatistics.MOVING_AVERAGE).castTo(DataType.FLOAT).data().asFloat();
        assertEquals(saved.get(1).length, logits.length);
        for (int i = 0; i < logits.length; i++) {
            assertEquals(saved.get(1)[i], logits[i], 1e-5 * Math.max(1, Math.abs(saved.get(1)[i])),
                    "logit " + i + ": saved " + Arrays.toString(saved.get(1)) + ", now " + Arrays.toString(logits));
        }
    }

    @Test
    void withoutTheRenamingDl4jCannotReadIt() throws IOException {
        byte[] zip = resource(SAVED + ".zip");
        assertThrows(RuntimeException.class,
                () -> ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), true));
    }

    @Test
    void aModelThatNamesNoMovedClassIsPassedThroughAsItIs() throws IOException {
        byte[] upgraded = FormerLayerNames.upgraded(resource(SAVED + ".zip"));
        assertSame(upgraded, FormerLayerNames.upgraded(upgraded));
    }

    @Test
    void onlyWholeNamesAreRenamed() {
        String renamed = FormerLayerNames.renamed(
                "{\"@class\" : \"io.llrspark.model.net.NativeConvolution\", \"x\" : \"io.llrspark.model.net.NativeConvolutionLayer\"}");
        assertTrue(renamed.contains("\"io.llrspark.model.net.layers.NativeConvolution\""), renamed);
        assertTrue(renamed.contains("\"io.llrspark.model.net.NativeConvolutionLayer\""), renamed);
    }

    private static List<float[]> savedArrays() throws IOException {
        return new String(resource(SAVED + ".logits.txt"), StandardCharsets.UTF_8).lines().map(line -> {
            String[] parts = line.replace("[", "").replace("]", "").split(",");
            float[] values = new float[parts.length];
            for (int i = 0; i < parts.length; i++) {
                values[i] = Float.parseFloat(parts[i].strip());
            }
            return values;
        }).toList();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = FormerLayerNamesTest.class.getResourceAsStream(name)) {
            assertTrue(in != null, "missing test resource " + name);
            return in.readAllBytes();
        }
    }
}
