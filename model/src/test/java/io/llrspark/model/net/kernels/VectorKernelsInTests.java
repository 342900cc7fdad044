package io.llrspark.model.net.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Kernel tests need the kernels: the build's test JVMs pass the Vector API module, so a missing kernel is a failure,
 * except in a suite run on purpose without them ({@code -Dllr.vector=false}), where kernel tests are skipped.
 */
public final class VectorKernelsInTests {
    private VectorKernelsInTests() {
    }

    public static void require() {
        assumeFalse("false".equals(System.getProperty("llr.vector")), "kernels turned off with -Dllr.vector=false");
        assertTrue(VectorSupport.AVAILABLE, "the tests run with the Vector API module on a CPU with 256-bit vectors");
    }
}
