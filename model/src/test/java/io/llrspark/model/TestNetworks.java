package io.llrspark.model;

import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.arch.NetworkFactory;
import io.llrspark.model.net.arch.NetworkSpec;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.net.dl4j.ClassifierNetwork;
import io.llrspark.model.net.SoftmaxCrossEntropyLoss;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
}
