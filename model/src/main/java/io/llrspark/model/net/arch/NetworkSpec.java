package io.llrspark.model.net.arch;

import io.llrspark.model.net.layers.PixelNormalization;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What to build: architecture, activation, input shape, classes, weight precision, seed and optimizer.
 *
 * @param architecture {@code small-cnn} (MultiLayerNetwork) or {@code small-resnet} (ComputationGraph with batch norm)
 * @param activation   {@code softplus} or {@code relu}
 * @param outputInitScale factor on the output layer's initial weights
 * @param layers       {@link #NATIVE} or {@link #DL4J}
 * @param normalization the network's first operation on [0, 1] pixels, or null for none
 */
public record NetworkSpec(String architecture, String activation, int channels, int height, int width, int classes,
                          DataType dataType, long seed, OptimizerSpec optimizer, double outputInitScale, String layers,
                          PixelNormalization normalization) {

    /** Convolutions as libnd4j ops (oneDNN on CPU, cuDNN on GPU). */
    public static final String NATIVE = "native";
    /** DL4J's own layers. */
    public static final String DL4J = "dl4j";

    /** Native layers and DL4J's plain output-layer initialization. */
    public NetworkSpec(String architecture, String activation, int channels, int height, int width, int classes,
                       DataType dataType, long seed, double learningRate) {
        this(architecture, activation, channels, height, width, classes, dataType, seed, learningRate, 1.0, NATIVE);
    }

    /** The architecture's own input normalization ({@link NetworkFactory#defaultNormalization}). */
    public NetworkSpec(String architecture, String activation, int channels, int height, int width, int classes,
                       DataType dataType, long seed, double learningRate, double outputInitScale, String layers) {
        this(architecture, activation, channels, height, width, classes, dataType, seed,
                OptimizerSpec.adam(learningRate), outputInitScale, layers,
                NetworkFactory.defaultNormalization(architecture, channels));
    }

    public NetworkSpec withLayers(String implementation) {
        return new NetworkSpec(architecture, activation, channels, height, width, classes, dataType, seed,
                optimizer, outputInitScale, implementation, normalization);
    }
}
