package io.llrspark.model.net.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

/**
 * What every kernel on host memory shares, with or without the Vector API: ND4J's off-heap buffers as Java buffers,
 * and the split of work over as many threads as ND4J's own ops use.
 */
final class HostArrays {
    static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Below this many elements a second thread costs more than it saves. */
    private static final int PER_THREAD = 1 << 16;

    private HostArrays() {
    }

    /** Whether ND4J's arrays live in this JVM's host memory (not on a GPU, whose arrays' values live on the device). */
    static final boolean HOST = Nd4j.getBackend().getClass().getName().startsWith("org.nd4j.linalg.cpu.");

    /** Float arrays in host memory whose elements are one block in C order (views included). */
    static boolean walkable(INDArray... arrays) {
        if (!HOST) {
            return false;
        }
        for (INDArray a : arrays) {
            if (a.dataType() != DataType.FLOAT || !denseInCOrder(a)
                    || a.offset() + a.length() > a.data().length() || a.length() > Integer.MAX_VALUE / 4) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether each dimension's stride is the product of the sizes after it, ignoring dimensions of size 1. ND4J's
     * hasDefaultStridesForShape wants strictly descending strides, which a batch of one-channel images ([N, 1, H, W],
     * strides [HW, HW, W, 1]) does not have: it kept SmallCNN's first layer off the kernels.
     */
    static boolean denseInCOrder(INDArray a) {
        long expected = 1;
        for (int i = a.rank() - 1; i >= 0; i--) {
            if (a.size(i) != 1 && a.stride(i) != expected) {
                return false;
            }
            expected *= a.size(i);
        }
        return true;
    }

    interface Range {
        void run(int from, int to);
    }

    /** The array's elements as a buffer starting at its first one. */
    static ByteBuffer buffer(INDArray a) {
        ByteBuffer whole = a.data().asNio().order(ORDER);
        return whole.position((int) a.offset() * 4).slice().order(ORDER);
    }

    /** Runs [0, n) in chunks on up to ND4J's thread count, in the caller and the common pool. */
    static void split(int n, int elementsPerItem, Range range) {
        long work = (long) n * elementsPerItem;
        int threads = (int) Math.max(1, Math.min(Math.min(Nd4j.getEnvironment().maxThreads(), n), work / PER_THREAD));
        if (threads == 1) {
            range.run(0, n);
            return;
        }
        IntStream.range(0, threads).parallel().forEach(t -> range.run((int) ((long) n * t / threads),
                (int) ((long) n * (t + 1) / threads)));
    }
}
