package io.llrspark.model.perf;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What this machine's single-precision GEMM reaches through ND4J on the current threads: the ceiling we compare to. */
public final class GemmThroughput {
    private GemmThroughput() {
    }

    /** GFLOP/s of the best of {@code repeats} products of two n×n float matrices, after two untimed ones. */
    public static double gflops(int n, int repeats) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.createUninitialized(DataType.FLOAT, n, n);
        a.mmuli(b, c);
        a.mmuli(b, c);
        long best = Long.MAX_VALUE;
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            a.mmuli(b, c);
            best = Math.min(best, System.nanoTime() - start);
        }
        return 2.0 * n * n * n / best;
    }
}
