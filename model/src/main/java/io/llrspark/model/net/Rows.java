package io.llrspark.model.net;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/** Rows of a batch: the examples an attack or a probe still has to run on. */
public final class Rows {
    private Rows() {
    }

    /** A copy of the rows {@code idx} of {@code a}, in that order. */
    public static INDArray select(INDArray a, int[] idx) {
        return a.get(NDArrayIndex.indices(Arrays.stream(idx).asLongStream().toArray())).dup();
    }
}
