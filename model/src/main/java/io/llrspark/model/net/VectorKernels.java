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
 * threads as ND4J's own ops use. Touch it only after the incubator module is known to be there: see
 * {@link VectorSupport#AVAILABLE}.
 *
 * <p>The shape is 256 bits (8 floats) on every CPU, not the preferred species: a sum's rounding depends on how many
 * lanes accumulate it, so with the preferred width an AVX-512 executor and an AVX2 one would compute different bits
 * from the same batch, and a run resumed on another CPU family would leave its trajectory. The kernels are
 * element-wise sweeps and short reductions bound by memory more than by arithmetic, which 512-bit lanes barely speed up.
 */
final class VectorKernels {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;
    static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Below this many elements a second thread costs more than it saves. */
    private static final int PER_THREAD = 1 << 16;

    private VectorKernels() {
    }

    /**
     * Whether this CPU runs {@link #SPECIES} in hardware (AVX2 or wider on x86). Elsewhere (SSE only, NEON) the Vector
     * API would emulate it lane by lane, far slower than ND4J's ops, so the kernels stay off.
     */
    static boolean hardwareWidthSuffices() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= SPECIES.vectorBitSize();
    }

    /**
     * The lanes' sum, in lane order: {@code reduceLanes(ADD)} leaves the order of a float reduction to the
     * implementation ("it may even vary over time"), which would make the same kernel on the same data round
     * differently before and after the JIT compiles it, or on another JDK.
     */
    static double laneSum(FloatVector v) {
        double s = 0;
        for (int i = 0; i < SPECIES.length(); i++) {
            s += v.lane(i);
        }
        return s;
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
