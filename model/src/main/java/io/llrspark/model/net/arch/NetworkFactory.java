package io.llrspark.model.net.arch;

import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.SoftmaxCrossEntropyLoss;
import io.llrspark.model.net.dl4j.ClassifierGraph;
import io.llrspark.model.net.dl4j.ClassifierNetwork;
import io.llrspark.model.net.layers.CleanStatsBatchNormalization;
import io.llrspark.model.net.layers.NativeConvolution;
import io.llrspark.model.net.layers.NativeMaxPooling;
import io.llrspark.model.net.layers.PixelNormalization;
import io.llrspark.model.net.layers.StableSoftPlus;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;

import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place networks are built. Objectives, attacks and jobs receive a {@link Classifier} and never construct
 * layers, so a faster layer implementation can be swapped in here alone.
 *
 * <p>Every network ends in an identity-activation output layer with {@link SoftmaxCrossEntropyLoss}: outputs are
 * logits. Nonlinearities after batch normalization sit in their own {@link ActivationLayer}, because DL4J's batch
 * normalization ignores the activation it is configured with.
 */
public final class NetworkFactory {

    public static final String SMALL_CNN = "small-cnn";
    public static final String SMALL_RESNET = "small-resnet";
    public static final String RESNET_50 = "resnet-50";
    public static final String RESNET_152 = "resnet-152";
    /** The ResNet builder at its smallest (two stages of one bottleneck block, width 4): smoke runs and tests. */
    public static final String RESNET_TINY = "resnet-tiny";
    /** The architectures with fixed names, in the order error messages list them. */
    public static final SortedSet<String> NAMED = Collections.unmodifiableSortedSet(
            new TreeSet<>(Set.of(SMALL_CNN, SMALL_RESNET, RESNET_50, RESNET_152, RESNET_TINY)));
    /** Wide-ResNet-D-K (Zagoruyko and Komodakis): depth D = 6n + 4, widening factor K. */
    public static final String WIDE_RESNET_FORM = "wrn-D-K (D = 6n + 4, e.g. wrn-28-8)";
    private static final Pattern WIDE_RESNET = Pattern.compile("wrn-(\\d+)-(\\d+)");
    static final double BN_DECAY = 0.9;

    private NetworkFactory() {
    }

    public static Classifier build(NetworkSpec spec) {
        return switch (spec.architecture()) {
            case SMALL_CNN -> smallCnn(spec);
            case SMALL_RESNET -> smallResNet(spec);
            case RESNET_50 -> ResidualNetworks.resNet(spec, new int[]{3, 4, 6, 3}, 64);
            case RESNET_152 -> ResidualNetworks.resNet(spec, new int[]{3, 8, 36, 3}, 64);
            case RESNET_TINY -> ResidualNetworks.resNet(spec, new int[]{1, 1}, 4);
            default -> {
                int[] wrn = wideResNet(spec.architecture());
                if (wrn == null) {
                    throw new IllegalArgumentException("Unknown architecture '" + spec.architecture() + "': expected "
                            + NAMED + " or " + WIDE_RESNET_FORM);
                }
                yield ResidualNetworks.wideResNet(spec, wrn[0], wrn[1]);
            }
        };
    }

    /**
     * The input normalization an architecture gets unless the configuration names one: the authors' released models'
     * (ImageNet ResNets: [0, 1] to [−1, 1]; Wide-ResNets: CIFAR-10's channel means and deviations) for 3-channel
     * input, none for the small networks or other channel counts.
     */
    public static PixelNormalization defaultNormalization(String architecture, int channels) {
        if (channels != 3) {
            return null;
        }
        if (architecture.equals(RESNET_50) || architecture.equals(RESNET_152) || architecture.equals(RESNET_TINY)) {
            return PixelNormalization.symmetric(3);
        }
        if (wideResNet(architecture) != null) {
            return new PixelNormalization(new double[]{125.3 / 255, 123.0 / 255, 113.9 / 255},
                    new double[]{63.0 / 255, 62.1 / 255, 66.7 / 255});
        }
        return null;
    }

    /**
     * The vertex a graph's first layer reads: the input through a {@link PixelNormalization}, the spec's or the
     * identity, which is also the boundary {@link ClassifierGraph} reads input gradients at.
     */
    static String graphInput(ComputationGraphConfiguration.GraphBuilder g, NetworkSpec spec) {
        PixelNormalization first = spec.normalization() != null ? spec.normalization()
                : PixelNormalization.identity(spec.channels());
        g.addVertex(ClassifierGraph.INPUT_BOUNDARY, new PreprocessorVertex(first), "input");
        return ClassifierGraph.INPUT_BOUNDARY;
    }

    /** Whether {@link #build} knows the architecture. */
    public static boolean knows(String architecture) {
        return NAMED.contains(architecture) || wideResNet(architecture) != null;
    }

    /** {blocks per group, widening factor} of a valid wrn-D-K name (D = 6n + 4, K ≥ 1), else null. */
    private static int[] wideResNet(String architecture) {
        Matcher m = WIDE_RESNET.matcher(architecture);
        if (!m.matches()) {
            return null;
        }
        int depth = Integer.parseInt(m.group(1));
        int widen = Integer.parseInt(m.group(2));
        return depth > 4 && (depth - 4) % 6 == 0 && widen > 0 ? new int[]{(depth - 4) / 6, widen} : null;
    }

    public static IActivation activation(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "softplus" -> new StableSoftPlus();
            case "relu" -> Activation.RELU.getActivationFunction();
            default -> throw new IllegalArgumentException("Unknown activation '" + name + "': expected softplus or relu");
        };
    }

    static NeuralNetConfiguration.Builder base(NetworkSpec spec) {
        return new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(spec.dataType())
                .updater(spec.optimizer().updater())
                .l2(spec.optimizer().weightDecay())
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same);
    }

    /** Every convolution of every network: the one place its implementation is chosen. */
    static ConvolutionLayer convolution(NetworkSpec spec, ConvolutionLayer.Builder builder) {
        return switch (spec.layers()) {
            case NetworkSpec.NATIVE -> NativeConvolution.of(builder);
            case NetworkSpec.DL4J -> builder.build();
            default -> throw new IllegalArgumentException("Unknown layer implementation '" + spec.layers()
                    + "': expected " + NetworkSpec.NATIVE + " or " + NetworkSpec.DL4J);
        };
    }

    /** Every max pooling of every network (a square window, stride 2): the one place its implementation is chosen. */
    static SubsamplingLayer maxPooling(NetworkSpec spec, int window) {
        SubsamplingLayer.Builder builder = new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(window, window)
                .stride(2, 2);
        return switch (spec.layers()) {
            case NetworkSpec.NATIVE -> NativeMaxPooling.of(builder);
            case NetworkSpec.DL4J -> builder.build();
            default -> throw new IllegalArgumentException("Unknown layer implementation '" + spec.layers()
                    + "': expected " + NetworkSpec.NATIVE + " or " + NetworkSpec.DL4J);
        };
    }

    /**
     * conv 3×3×32 → maxpool 2 → conv 3×3×64 → maxpool 2 → dense 128 → dense classes, the nonlinearity after each
     * convolution. It is applied after the pooling: both activations are increasing, so max-pooling the activated map
     * and activating the max-pooled one are the same function with the same gradient, and the second touches a quarter
     * of the elements (the activation's exp/log per element costs more than the convolution's share otherwise).
     */
    public static ClassifierNetwork smallCnn(NetworkSpec spec) {
        IActivation act = activation(spec.activation());
        NeuralNetConfiguration.ListBuilder list = base(spec).list();
        if (spec.normalization() != null) {
            list.inputPreProcessor(0, spec.normalization());
        }
        MultiLayerConfiguration conf = list
                .layer(convolution(spec, new ConvolutionLayer.Builder(3, 3).nOut(32).activation(Activation.IDENTITY)))
                .layer(maxPooling(spec, 2))
                .layer(new ActivationLayer.Builder().activation(act).build())
                .layer(convolution(spec, new ConvolutionLayer.Builder(3, 3).nOut(64).activation(Activation.IDENTITY)))
                .layer(maxPooling(spec, 2))
                .layer(new ActivationLayer.Builder().activation(act).build())
                .layer(new DenseLayer.Builder().nOut(128).activation(act).build())
                .layer(new OutputLayer.Builder(new SoftmaxCrossEntropyLoss()).nOut(spec.classes())
                        .activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER).build())
                .setInputType(InputType.convolutional(spec.height(), spec.width(), spec.channels()))
                .build();
        ClassifierNetwork net = new ClassifierNetwork(conf);
        net.init();
        scaleOutputWeights(net.getLayer(net.getnLayers() - 1), spec);
        return net;
    }

    /**
     * The shape ImageNet ResNets have, small: stem conv-BN-act, one identity residual block, one strided block
     * with a 1×1 projection shortcut, global average pooling, dense output.
     */
    public static ClassifierGraph smallResNet(NetworkSpec spec) {
        IActivation act = activation(spec.activation());
        ComputationGraphConfiguration.GraphBuilder g = base(spec).graphBuilder().addInputs("input");
        String last = convBnAct(g, spec, "stem", graphInput(g, spec), 16, 1, act, true);
        last = residualBlock(g, spec, "block1", last, 16, 1, act, false);
        last = residualBlock(g, spec, "block2", last, 32, 2, act, true);
        return graphHead(g, spec, last);
    }

    /** Every graph's end: global average pooling and the logit layer; builds and initializes the graph. */
    static ClassifierGraph graphHead(ComputationGraphConfiguration.GraphBuilder g, NetworkSpec spec, String last) {
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), last)
                .addLayer("output", new OutputLayer.Builder(new SoftmaxCrossEntropyLoss()).nOut(spec.classes())
                        .activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER).build(), "pool")
                .setOutputs("output")
                .setInputTypes(InputType.convolutional(spec.height(), spec.width(), spec.channels()));
        ClassifierGraph net = new ClassifierGraph(g.build());
        net.init();
        scaleOutputWeights(net.getLayer("output"), spec);
        return net;
    }

    /** The initial values only: the configuration (and so a saved network) keeps DL4J's plain initializer. */
    static void scaleOutputWeights(org.deeplearning4j.nn.api.Layer output, NetworkSpec spec) {
        output.getParam("W").muli(spec.outputInitScale());
    }

    private static String convBnAct(ComputationGraphConfiguration.GraphBuilder g, NetworkSpec spec, String name,
                                    String in, int channels, int stride, IActivation act, boolean withActivation) {
        g.addLayer(name + "_conv", convolution(spec, new ConvolutionLayer.Builder(3, 3).stride(stride, stride)
                .nOut(channels).activation(Activation.IDENTITY).hasBias(false)), in);
        g.addLayer(name + "_bn", CleanStatsBatchNormalization.of(channels, BN_DECAY), name + "_conv");
        if (!withActivation) {
            return name + "_bn";
        }
        g.addLayer(name + "_act", new ActivationLayer.Builder().activation(act).build(), name + "_bn");
        return name + "_act";
    }

    private static String residualBlock(ComputationGraphConfiguration.GraphBuilder g, NetworkSpec spec, String name,
                                        String in, int channels, int stride, IActivation act, boolean project) {
        String a = convBnAct(g, spec, name + "_a", in, channels, stride, act, true);
        String b = convBnAct(g, spec, name + "_b", a, channels, 1, act, false);
        String shortcut = in;
        if (project) {
            g.addLayer(name + "_proj", convolution(spec, new ConvolutionLayer.Builder(1, 1).stride(stride, stride)
                    .nOut(channels).activation(Activation.IDENTITY).hasBias(false)), in);
            g.addLayer(name + "_proj_bn", CleanStatsBatchNormalization.of(channels, BN_DECAY), name + "_proj");
            shortcut = name + "_proj_bn";
        }
        g.addVertex(name + "_sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), b, shortcut);
        g.addLayer(name + "_out", new ActivationLayer.Builder().activation(act).build(), name + "_sum");
        return name + "_out";
    }
}
