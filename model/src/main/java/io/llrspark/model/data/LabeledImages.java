package io.llrspark.model.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Images as bytes in memory (one byte a pixel, NCHW order per image) with integer labels; turned into float
 * minibatches in [0, 1] on demand, so 60 000 28×28 images cost 47 MB rather than four times that.
 */
public record LabeledImages(byte[] pixels, int[] labels, int channels, int height, int width, int classes)
        implements Examples {

    public int size() {
        return labels.length;
    }

    public DatasetShape shape() {
        return new DatasetShape(size(), channels, height, width, classes);
    }

    public int pixelsPerImage() {
        return channels * height * width;
    }

    /** The first {@code n} examples (all if n ≤ 0 or n ≥ size). */
    public LabeledImages head(int n) {
        if (n <= 0 || n >= size()) {
            return this;
        }
        byte[] p = java.util.Arrays.copyOf(pixels, n * pixelsPerImage());
        return new LabeledImages(p, java.util.Arrays.copyOf(labels, n), channels, height, width, classes);
    }

    /** Images held as bytes are not augmented: the epoch does not matter. */
    @Override
    public DataSet batch(int[] indices, int epoch, DataType type) {
        return batch(indices, type);
    }

    /** The examples at {@code indices}, as features [n, C, H, W] in [0, 1] and one-hot labels [n, classes]. */
    public DataSet batch(int[] indices, DataType type) {
        int per = pixelsPerImage();
        float[] features = new float[indices.length * per];
        float[] oneHot = new float[indices.length * classes];
        for (int i = 0; i < indices.length; i++) {
            int src = indices[i] * per;
            for (int j = 0; j < per; j++) {
                features[i * per + j] = (pixels[src + j] & 0xFF) / 255f;
            }
            oneHot[i * classes + labels[indices[i]]] = 1f;
        }
        INDArray x = Nd4j.create(features, new long[]{indices.length, channels, height, width}, 'c').castTo(type);
        INDArray y = Nd4j.create(oneHot, new long[]{indices.length, classes}, 'c').castTo(type);
        return new DataSet(x, y);
    }

    /** Examples [from, to) in order. */
    @Override
    public DataSet range(int from, int to, DataType type) {
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return batch(idx, type);
    }
}
