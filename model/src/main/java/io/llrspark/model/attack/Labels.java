package io.llrspark.model.attack;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Class indices of one-hot label rows. */
public final class Labels {
    private Labels() {
    }

    public static int[] of(INDArray oneHot) {
        long[] idx = oneHot.argMax(1).toLongVector();
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = (int) idx[i];
        }
        return out;
    }
}
