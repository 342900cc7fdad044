package io.llrspark.model;

import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.NetworkFactory;
import io.llrspark.model.net.NetworkSpec;
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
