package io.llrspark.model.net.arch;

import io.llrspark.model.net.dl4j.ClassifierGraph;
import io.llrspark.model.net.layers.CleanStatsBatchNormalization;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;

/**
 * The ImageNet and CIFAR residual networks, built from the same convolution and batch-normalization layers as every
 * other network (so the native layers, clean-statistics batch norm and the objectives' hooks apply unchanged):
 * ResNet-v1.5 with bottleneck blocks (stride on the 3×3 convolution) and Wide-ResNet with pre-activation basic blocks.
 * Inputs are pixels in [0, 1]; the first convolution's batch normalization absorbs the data's scale.
 */
public final class ResidualNetworks {
    private static final int EXPANSION = 4;

    private ResidualNetworks() {
    }

    /**
     * ResNet with bottleneck blocks: a 7×7/2 stem and 3×3/2 max-pool, then {@code blocks.length} stages of
     * {@code blocks[s]} blocks of width {@code baseWidth·2ˢ} (output ×4), the first of each later stage at stride 2.
     * ResNet-50: {3, 4, 6, 3} with 64; ResNet-152: {3, 8, 36, 3} with 64.
     */
    public static ClassifierGraph resNet(NetworkSpec spec, int[] blocks, int baseWidth) {
        IActivation act = NetworkFactory.activation(spec.activation());
        ComputationGraphConfiguration.GraphBuilder g = NetworkFactory.base(spec).graphBuilder().addInputs("input");
        g.addLayer("stem_conv", conv(spec, 7, 2, baseWidth), NetworkFactory.graphInput(g, spec));
        g.addLayer("stem_bn", CleanStatsBatchNormalization.of(baseWidth, NetworkFactory.BN_DECAY), "stem_conv");
        // Max-pooling commutes with the increasing activation: pool first, activate a quarter of the elements.
        g.addLayer("stem_pool", NetworkFactory.maxPooling(spec, 3), "stem_bn");
        g.addLayer("stem_act", new ActivationLayer.Builder().activation(act).build(), "stem_pool");
        String last = "stem_act";
        int channels = baseWidth;
        for (int s = 0; s < blocks.length; s++) {
            int width = baseWidth << s;
            for (int b = 0; b < blocks[s]; b++) {
                last = bottleneck(g, spec, "s" + s + "b" + b, last, channels, width, s > 0 && b == 0 ? 2 : 1, act);
                channels = width * EXPANSION;
            }
        }
        return NetworkFactory.graphHead(g, spec, last);
    }

    /** Wide-ResNet: a 3×3 stem of 16, three groups of {@code blocksPerGroup} blocks of 16K, 32K, 64K channels. */
    public static ClassifierGraph wideResNet(NetworkSpec spec, int blocksPerGroup, int widen) {
        IActivation act = NetworkFactory.activation(spec.activation());
        ComputationGraphConfiguration.GraphBuilder g = NetworkFactory.base(spec).graphBuilder().addInputs("input");
        g.addLayer("stem_conv", conv(spec, 3, 1, 16), NetworkFactory.graphInput(g, spec));
        String last = "stem_conv";
        int channels = 16;
        for (int group = 0; group < 3; group++) {
            int width = 16 * widen << group;
            for (int b = 0; b < blocksPerGroup; b++) {
                last = preActivationBlock(g, spec, "g" + group + "b" + b, last, channels, width,
                        group > 0 && b == 0 ? 2 : 1, act);
                channels = width;
            }
        }
        g.addLayer("final_bn", CleanStatsBatchNormalization.of(channels, NetworkFactory.BN_DECAY), last);
        g.addLayer("final_act", new ActivationLayer.Builder().activation(act).build(), "final_bn");
        return NetworkFactory.graphHead(g, spec, "final_act");
    }

    private static String bottleneck(ComputationGraphConfiguration.GraphBuilder g, NetworkSpec spec, String name,
                                     String in, int inChannels, int width, int stride, IActivation act) {
        String a = convBn(g, spec, name + "_a", in, 1, 1, width);
        g.addLayer(name + "_a_act", new ActivationLayer.Builder().activation(act).build(), a);
        String b = convBn(g, spec, name + "_b", name + "_a_act", 3, stride, width);
        g.addLayer(name + "_b_act", new ActivationLayer.Builder().activation(act).build(), b);
        String c = convBn(g, spec, name + "_c", name + "_b_act", 1, 1, width * EXPANSION);
        String shortcut = inChannels == width * EXPANSION && stride == 1 ? in
                : convBn(g, spec, name + "_proj", in, 1, stride, width * EXPANSION);
        g.addVertex(name + "_sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), c, shortcut);
        g.addLayer(name + "_out", new ActivationLayer.Builder().activation(act).build(), name + "_sum");
        return name + "_out";
    }

    private static String preActivationBlock(ComputationGraphConfiguration.GraphBuilder g, NetworkSpec spec,
                                             String name, String in, int inChannels, int width, int stride,
                                             IActivation act) {
        g.addLayer(name + "_bn1", CleanStatsBatchNormalization.of(inChannels, NetworkFactory.BN_DECAY), in);
        g.addLayer(name + "_act1", new ActivationLayer.Builder().activation(act).build(), name + "_bn1");
        g.addLayer(name + "_conv1", conv(spec, 3, stride, width), name + "_act1");
        g.addLayer(name + "_bn2", CleanStatsBatchNormalization.of(width, NetworkFactory.BN_DECAY), name + "_conv1");
        g.addLayer(name + "_act2", new ActivationLayer.Builder().activation(act).build(), name + "_bn2");
        g.addLayer(name + "_conv2", conv(spec, 3, 1, width), name + "_act2");
        // The projection, where there is one, sees the pre-activated input, as in the original.
        String shortcut = in;
        if (inChannels != width || stride != 1) {
            g.addLayer(name + "_proj", conv(spec, 1, stride, width), name + "_act1");
            shortcut = name + "_proj";
        }
        g.addVertex(name + "_sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), name + "_conv2", shortcut);
        return name + "_sum";
    }

    private static String convBn(ComputationGraphConfiguration.GraphBuilder g, NetworkSpec spec, String name,
                                 String in, int kernel, int stride, int channels) {
        g.addLayer(name + "_conv", conv(spec, kernel, stride, channels), in);
        g.addLayer(name + "_bn", CleanStatsBatchNormalization.of(channels, NetworkFactory.BN_DECAY), name + "_conv");
        return name + "_bn";
    }

    private static ConvolutionLayer conv(NetworkSpec spec, int kernel, int stride, int channels) {
        return NetworkFactory.convolution(spec, new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride)
                .nOut(channels).activation(Activation.IDENTITY).hasBias(false));
    }
}
