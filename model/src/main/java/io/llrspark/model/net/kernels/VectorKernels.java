package io.llrspark.model.net.kernels;

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
 * <p>The shape is the CPU's widest (8 floats on AVX2, 16 on AVX-512): a sum's rounding depends on how many lanes
 * accumulate it, so an AVX-512 and an AVX2 machine compute different low bits from the same batch. Capping the JVM's
 * vectors at 256 bits ({@code -XX:MaxVectorSize=32}, what the launchers' portable mode passes) makes every x86 CPU
 * compute what an AVX2 one does; 512-bit lanes saved 4-7 % of a residual network's step on an AVX-512 machine.
 */
final class VectorKernels {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Below this many elements a second thread costs more than it saves. */
    private static final int PER_THREAD = 1 << 16;

    private VectorKernels() {
    }

    /**
     * Whether this CPU has vectors of 256 bits or more (AVX2 or wider on x86): the widths the kernels were measured
     * at. With 128-bit vectors (SSE only, NEON) they stay off and ND4J's ops run.
     */
    static boolean wideEnough() {
        return SPECIES.vectorBitSize() >= 256;
    }

    /**
     * The lanes' sum, in lane order: {@code reduceLanes(ADD)} leaves the order of a float reduction to the
     * implementation ("it may even vary over time"), so the same kernel on the same data could round differently
     * before and after the JIT compiles it, or on another JDK (JDK 17 on x86 was not seen to: this makes it a rule).
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
