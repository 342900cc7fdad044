package io.llrspark.model.net.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * DL4J's 2-D convolution configuration with a layer that runs libnd4j's {@code conv2d}/{@code conv2d_bp} ops, which use
 * oneDNN on CPU (the {@code -onednn} build of nd4j-native) and cuDNN on GPU (the {@code -cudnn} build of nd4j-cuda).
 * DL4J's own layer runs im2col and GEMM in Java-driven steps at a small fraction of that speed, and its oneDNN helper
 * never activates in 1.0.0-M2.1 (DESIGN.md §7).
 *
 * <p>Subclassing the configuration keeps DL4J's parameters (weights [out, in, kH, kW], bias), initialization, updater
 * and model format: a saved network names this class and loads with ModelSerializer.
 */
public class NativeConvolution extends ConvolutionLayer {

    /** For Jackson, when a saved network is read back. */
    public NativeConvolution() {
        super();
    }

    private NativeConvolution(ConvolutionLayer.Builder builder) {
        super(builder);
    }

    public static NativeConvolution of(ConvolutionLayer.Builder builder) {
        return new NativeConvolution(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return LayerWiring.wire(new NativeConvolutionLayer(conf, networkDataType), initializer(), conf, trainingListeners,
                layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public NativeConvolution clone() {
        return (NativeConvolution) super.clone();
    }
}
