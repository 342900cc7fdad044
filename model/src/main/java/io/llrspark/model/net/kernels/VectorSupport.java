package io.llrspark.model.net.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Whether the Vector API kernels ({@link VectorSoftPlus}, {@link VectorBatchNorm}) can run, asked without loading
 * them: they need the incubator module ({@code --add-modules jdk.incubator.vector}, which the build and the launchers
 * pass), 256-bit vectors in hardware, and arrays they can walk.
 */
public final class VectorSupport {
    /**
     * {@code -Dllr.vector=false} turns the kernels off, to compare. They work on host memory, so never on a GPU
     * backend (whose arrays' current values live on the device).
     */
    public static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && Boolean.parseBoolean(System.getProperty("llr.vector", "true"))
            && HostArrays.HOST && VectorKernels.wideEnough();

    private VectorSupport() {
    }

    /** Float arrays whose elements are one block in C order (views included), when the kernels can run. */
    public static boolean applicable(INDArray... arrays) {
        return AVAILABLE && HostArrays.walkable(arrays);
    }

    /** See {@link HostArrays#denseInCOrder}. */
    public static boolean denseInCOrder(INDArray a) {
        return HostArrays.denseInCOrder(a);
    }
}
