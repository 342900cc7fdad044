package io.llrspark.model.net;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * What to build: architecture, activation, input shape, classes, weight precision, seed and Adam learning rate.
 *
 * @param architecture {@code small-cnn} (MultiLayerNetwork) or {@code small-resnet} (ComputationGraph with batch norm)
 * @param activation   {@code softplus} or {@code relu}
 */
public record NetworkSpec(String architecture, String activation, int channels, int height, int width, int classes,
                          DataType dataType, long seed, double learningRate) {
}
