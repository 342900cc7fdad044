package io.llrspark.model.perf;

import io.llrspark.model.net.Classifier;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * Floating-point operations of a network's forward pass on a batch, counted from its layer shapes: 2·N·|W|·positions
 * for every convolution (positions = output height × width) and 2·N·|W| for every dense layer. Normalization, pooling
 * and activations are not counted: they are memory-bound and carry no multiply-adds worth the name. A training pass
 * (forward, input gradient, weight gradient) is three times the forward count.
 */
public final class FlopCount {
    private FlopCount() {
    }

    public static long forward(Classifier net, INDArray x) {
        long flops = 0;
        if (net.model() instanceof MultiLayerNetwork mln) {
            List<INDArray> activations = mln.feedForward(x, false);
            for (int i = 0; i < mln.getnLayers(); i++) {
                flops += layer(mln.getLayer(i), activations.get(i + 1));
            }
        } else if (net.model() instanceof ComputationGraph graph) {
            Map<String, INDArray> activations = graph.feedForward(x, false);
            for (Layer layer : graph.getLayers()) {
                flops += layer(layer, activations.get(layer.conf().getLayer().getLayerName()));
            }
        } else {
            throw new IllegalArgumentException("Cannot count FLOPs of " + net.model().getClass().getName());
        }
        return flops;
    }

    private static long layer(Layer layer, INDArray output) {
        INDArray weights = layer.paramTable().get("W");
        if (weights == null) {
            return 0;
        }
        if (layer.conf().getLayer() instanceof ConvolutionLayer) {
            return 2 * output.size(0) * weights.length() * output.size(2) * output.size(3);
        }
        if (layer.conf().getLayer() instanceof FeedForwardLayer && weights.rank() == 2) {
            return 2 * output.size(0) * weights.length();
        }
        return 0;
    }
}
