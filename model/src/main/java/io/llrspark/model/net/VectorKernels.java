package io.llrspark.model.net;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

/**
 * What the Vector API kernels share: the vector shape, ND4J's off-heap buffers, and the split of work over as many
 * threads as ND4J's own ops use. Touch it only after {@link VectorSupport#AVAILABLE}: it needs the incubator module.
 */
final class VectorKernels {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Below this many elements a second thread costs more than it saves. */
    private static final int PER_THREAD = 1 << 16;

    private VectorKernels() {
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
