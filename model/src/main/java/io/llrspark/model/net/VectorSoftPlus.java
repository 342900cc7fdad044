package io.llrspark.model.net;

import jdk.incubator.vector.FloatVector;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;

import static io.llrspark.model.net.VectorKernels.ORDER;
import static io.llrspark.model.net.VectorKernels.SPECIES;

/**
 * Softplus and its derivative with the JDK's Vector API, straight on ND4J's off-heap buffers: one pass of SIMD exp and
 * log1p per element ({@link VectorMath}), where ND4J's element-wise ops take six passes of scalar transcendentals. Only used when the incubator module is present
 * ({@code --add-modules jdk.incubator.vector}, which the launchers and the build pass); {@link StableSoftPlus} falls
 * back to ND4J ops otherwise, and for doubles or non-contiguous arrays.
 */
final class VectorSoftPlus {
    private static final int BLOCK = 4096;

    private VectorSoftPlus() {
    }

    /** out = softplus(in) = max(in, 0) + log1p(exp(−|in|)); out may be in. */
    static void forward(INDArray in, INDArray out) {
        ByteBuffer x = VectorKernels.buffer(in);
        ByteBuffer y = VectorKernels.buffer(out);
        int n = (int) in.length();
        VectorKernels.split(blocks(n), BLOCK, (b0, b1) -> {
            int to = Math.min(n, b1 * BLOCK);
            int i = b0 * BLOCK;
            for (; i + SPECIES.length() <= to; i += SPECIES.length()) {
                FloatVector v = FloatVector.fromByteBuffer(SPECIES, x, i * 4, ORDER);
                FloatVector tail = VectorMath.log1pUnit(VectorMath.exp(v.abs().neg()));
                v.max(0f).add(tail).intoByteBuffer(y, i * 4, ORDER);
            }
            for (; i < to; i++) {
                float v = x.getFloat(i * 4);
                y.putFloat(i * 4, Math.max(v, 0f) + (float) Math.log1p(Math.exp(-Math.abs(v))));
            }
        });
    }

    /** out = sigmoid(in) · epsilon, the gradient through softplus; out may be in or epsilon. */
    static void backward(INDArray in, INDArray epsilon, INDArray out) {
        ByteBuffer x = VectorKernels.buffer(in);
        ByteBuffer e = VectorKernels.buffer(epsilon);
        ByteBuffer y = VectorKernels.buffer(out);
        int n = (int) in.length();
        VectorKernels.split(blocks(n), BLOCK, (b0, b1) -> {
            int to = Math.min(n, b1 * BLOCK);
            int i = b0 * BLOCK;
            for (; i + SPECIES.length() <= to; i += SPECIES.length()) {
                FloatVector v = FloatVector.fromByteBuffer(SPECIES, x, i * 4, ORDER);
                FloatVector g = FloatVector.fromByteBuffer(SPECIES, e, i * 4, ORDER);
                g.div(VectorMath.exp(v.neg()).add(1f)).intoByteBuffer(y, i * 4, ORDER);
            }
            for (; i < to; i++) {
                float v = x.getFloat(i * 4);
                y.putFloat(i * 4, e.getFloat(i * 4) / (float) (1 + Math.exp(-v)));
            }
        });
    }

    private static int blocks(int n) {
        return (n + BLOCK - 1) / BLOCK;
    }
}
