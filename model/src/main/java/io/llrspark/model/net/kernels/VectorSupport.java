package io.llrspark.model.net.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
            && Nd4j.getBackend().getClass().getName().startsWith("org.nd4j.linalg.cpu.")
            && VectorKernels.wideEnough();

    private VectorSupport() {
    }

    /** Float arrays whose elements are one block in C order (views included). */
    public static boolean applicable(INDArray... arrays) {
        if (!AVAILABLE) {
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
    public static boolean denseInCOrder(INDArray a) {
        long expected = 1;
        for (int i = a.rank() - 1; i >= 0; i--) {
            if (a.size(i) != 1 && a.stride(i) != expected) {
                return false;
            }
            expected *= a.size(i);
        }
        return true;
    }
}
