package io.llrspark.model.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A dataset as a process reads minibatches from it: features [n, C, H, W] in [0, 1] and one-hot labels, by example
 * index. {@code epoch} seeds the augmentation of datasets that augment (decoded images); the others ignore it.
 */
public interface Examples {

    int size();

    int classes();

    DataSet batch(int[] indices, int epoch, DataType type);

    /** Examples [from, to) in order, as evaluation reads them. */
    default DataSet range(int from, int to, DataType type) {
        int[] indices = new int[to - from];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = from + i;
        }
        return batch(indices, 0, type);
    }
}
