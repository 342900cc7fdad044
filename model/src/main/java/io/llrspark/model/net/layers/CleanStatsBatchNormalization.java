package io.llrspark.model.net.layers;

import io.llrspark.model.net.BatchStatistics;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * DL4J's batch normalization with one addition: a training-mode pass can normalize with the clean batch's statistics
 * (see {@link BatchStatistics}). Subclassing the configuration keeps DL4J's parameters, updater rules (moving averages
 * as undivided pseudo-gradients) and model format; only the layer implementation differs.
 */
public class CleanStatsBatchNormalization extends BatchNormalization {

    /** For Jackson, when a saved network is read back. */
    public CleanStatsBatchNormalization() {
        super();
    }

    public static CleanStatsBatchNormalization of(long channels, double decay) {
        CleanStatsBatchNormalization bn = new CleanStatsBatchNormalization();
        bn.setNIn(channels);
        bn.setNOut(channels);
        bn.setDecay(decay);
        return bn;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return LayerWiring.wire(new CleanStatsBatchNormLayer(conf, networkDataType), initializer(), conf, trainingListeners,
                layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public CleanStatsBatchNormalization clone() {
        return (CleanStatsBatchNormalization) super.clone();
    }
}
