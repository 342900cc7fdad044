package io.llrspark.model;

import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.arch.NetworkFactory;
import io.llrspark.model.net.arch.NetworkSpec;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.net.dl4j.ClassifierNetwork;
import io.llrspark.model.net.SoftmaxCrossEntropyLoss;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Random;

/** Small networks and batches for tests. */
public final class TestNetworks {
    private TestNetworks() {
    }

    public static Classifier build(String architecture, int size, DataType type, long seed) {
        return NetworkFactory.build(new NetworkSpec(architecture, "softplus", 1, size, size, 10, type, seed, 1e-3));
    }

    /** Softmax regression z = xW + b on flat inputs, with the given weights [inputs, classes] and biases [classes]. */
    public static ClassifierNetwork softmaxRegression(INDArray weights, INDArray biases) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(weights.dataType()).list()
                .layer(new OutputLayer.Builder(new SoftmaxCrossEntropyLoss()).nIn(weights.size(0)).nOut(weights.size(1))
                        .activation(Activation.IDENTITY).build())
                .build();
        ClassifierNetwork net = new ClassifierNetwork(conf);
        net.init();
        net.getLayer(0).getParam("W").assign(weights);
        net.getLayer(0).getParam("b").assign(biases.reshape(1, biases.length()));
        return net;
    }

    /** n 8×8 images in 4 classes, each class a bright band of rows: learnable in a few steps. */
    public static LabeledImages bands(int n) {
        Random r = new Random(3);
        byte[] pixels = new byte[n * 64];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(4);
            for (int p = 0; p < 64; p++) {
                pixels[i * 64 + p] = (byte) (p / 16 == labels[i] ? 200 + r.nextInt(50) : r.nextInt(100));
            }
        }
        return new LabeledImages(pixels, labels, 1, 8, 8, 4);
    }

    public static INDArray images(int n, int size, DataType type, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n * size * size];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble();
        }
        return Nd4j.create(v, new long[]{n, 1, size, size}, 'c').castTo(type);
    }

    public static INDArray oneHot(int n, int classes, DataType type, long seed) {
        Random r = new Random(seed);
        INDArray y = Nd4j.zeros(type, n, classes);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, r.nextInt(classes), 1.0);
        }
        return y;
    }

    /**
     * The pixels quantized to quarters, whose derivative is zero wherever it exists: the obfuscating first layer of
     * the textbook, where every gradient attack sees a flat loss.
     */
    private static final class Quarters extends BaseActivationFunction {
        @Override
        public INDArray getActivation(INDArray in, boolean training) {
            return in.assign(Transforms.round(in.mul(4), false).divi(4));
        }

        @Override
        public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
            return new Pair<>(epsilon.assign(0), null);
        }

        @Override
        public String toString() {
            return "quarters";
        }
    }

    /**
     * A two-class model on 4×4 one-channel images whose input gradient is zero everywhere: the pixels quantized to
     * quarters by the first layer, then z1 − z0 = 5.1 − Σ q(x). Images of 0.45 (quantized to 0.5) are class 0 until
     * at least 12 of their 16 pixels drop to 0.25.
     */
    /** n inputs of {@link #quantizing()}'s class 0: every pixel 0.45. */
    public static INDArray quantizingInputs(int n) {
        return Nd4j.valueArrayOf(new long[]{n, 1, 4, 4}, 0.45, DataType.FLOAT);
    }

    /** n one-hot labels of class 0 of the two. */
    public static INDArray quantizingLabels(int n) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 2);
        y.getColumn(0).assign(1);
        return y;
    }

    public static ClassifierNetwork quantizing() {
        // The quantizer as the activation of an identity dense layer: activations work in place, on the layer's own
        // output (an activation layer first in the network would be handed the network's input itself).
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nOut(16).activation(new Quarters()).build())
                .layer(new OutputLayer.Builder(new SoftmaxCrossEntropyLoss()).nOut(2).activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutional(4, 4, 1))
                .build();
        ClassifierNetwork net = new ClassifierNetwork(conf);
        net.init();
        INDArray w = Nd4j.zeros(DataType.FLOAT, 16, 2);
        w.getColumn(1).assign(-1);
        net.getLayer(0).getParam("W").assign(Nd4j.eye(16).castTo(DataType.FLOAT));
        net.getLayer(0).getParam("b").assign(0);
        net.getLayer(1).getParam("W").assign(w);
        net.getLayer(1).getParam("b").assign(Nd4j.createFromArray(0f, 5.1f).reshape(1, 2));
        return net;
    }
}
