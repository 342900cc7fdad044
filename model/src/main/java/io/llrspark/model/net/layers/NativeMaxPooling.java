package io.llrspark.model.net.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * DL4J's max-pooling configuration with a layer that pools in Java ({@link NativeMaxPoolingLayer}): oneDNN's pooling,
 * which DL4J's layer calls, is 8-10 times slower on CPUs without AVX-512. Subclassing keeps DL4J's settings and model
 * format: a saved network names this class and loads with ModelSerializer.
 */
public class NativeMaxPooling extends SubsamplingLayer {

    /** For Jackson, when a saved network is read back. */
    public NativeMaxPooling() {
        super();
    }

    private NativeMaxPooling(SubsamplingLayer.Builder builder) {
        super(builder);
    }

    public static NativeMaxPooling of(SubsamplingLayer.Builder builder) {
        return new NativeMaxPooling(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return LayerWiring.wire(new NativeMaxPoolingLayer(conf, networkDataType), initializer(), conf, trainingListeners,
                layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public NativeMaxPooling clone() {
        return (NativeMaxPooling) super.clone();
    }
}
