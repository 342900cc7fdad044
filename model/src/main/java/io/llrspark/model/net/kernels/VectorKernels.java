package io.llrspark.model.net.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.nio.ByteOrder;

/**
 * What the Vector API kernels share: the vector shape ({@link HostArrays} has the buffers and the split of work).
 * Touch it only after the incubator module is known to be there: see {@link VectorSupport#AVAILABLE}.
 *
 * <p>The shape is the CPU's widest (8 floats on AVX2, 16 on AVX-512): a sum's rounding depends on how many lanes
 * accumulate it, so an AVX-512 and an AVX2 machine compute different low bits from the same batch. Capping the JVM's
 * vectors at 256 bits ({@code -XX:MaxVectorSize=32}, what the launchers' portable mode passes) makes every x86 CPU
 * compute what an AVX2 one does; 512-bit lanes saved 4-7 % of a residual network's step on an AVX-512 machine.
 */
final class VectorKernels {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final ByteOrder ORDER = HostArrays.ORDER;

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
}
