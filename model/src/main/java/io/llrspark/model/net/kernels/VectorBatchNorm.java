package io.llrspark.model.net.kernels;

import jdk.incubator.vector.FloatVector;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;

import static io.llrspark.model.net.kernels.VectorKernels.ORDER;
import static io.llrspark.model.net.kernels.VectorKernels.SPECIES;

/**
 * Batch normalization's passes over NCHW float activations with the Vector API, on ND4J's buffers: per-channel
 * statistics (two passes: mean, then squared deviations), the per-channel affine map, and the backward pass as two
 * passes (per-channel gradient sums, then one element-wise combination). libnd4j's batchnorm_bp and ND4J's TAD variance
 * spent half of a residual network's training step (JFR) on what is a few sweeps over memory. Sums run in float within
 * one (sample, channel) plane and in double across planes.
 */
public final class VectorBatchNorm {
    private VectorBatchNorm() {
    }

    /** Per-channel mean and population variance of x [N, C, H, W]. */
    public static void statistics(INDArray x, double[] mean, double[] var) {
        int n = (int) x.size(0);
        int c = (int) x.size(1);
        int plane = (int) (x.length() / ((long) n * c));
        ByteBuffer b = HostArrays.buffer(x);
        long count = (long) n * plane;
        HostArrays.split(c, n * plane, (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += sum(b, (i * c + ch) * plane, plane);
                }
                double m = s / count;
                double q = 0;
                for (int i = 0; i < n; i++) {
                    q += squaredDeviations(b, (i * c + ch) * plane, plane, (float) m);
                }
                mean[ch] = m;
                var[ch] = q / count;
            }
        });
    }

    /** out = a_c · x + b_c. */
    public static void affine(INDArray x, float[] a, float[] b, INDArray out) {
        combine(x, null, a, null, b, out);
    }

    /** Per channel: Σ eps and Σ eps · (x − mean). */
    public static void gradientSums(INDArray x, INDArray eps, float[] mean, double[] sumEps, double[] sumEpsCentred) {
        int n = (int) x.size(0);
        int c = (int) x.size(1);
        int plane = (int) (x.length() / ((long) n * c));
        ByteBuffer bx = HostArrays.buffer(x);
        ByteBuffer be = HostArrays.buffer(eps);
        HostArrays.split(c, n * plane, (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                double se = 0;
                double sx = 0;
                for (int i = 0; i < n; i++) {
                    int start = (i * c + ch) * plane;
                    FloatVector accE = FloatVector.zero(SPECIES);
                    FloatVector accX = FloatVector.zero(SPECIES);
                    int j = 0;
                    for (; j + SPECIES.length() <= plane; j += SPECIES.length()) {
                        FloatVector e = FloatVector.fromByteBuffer(SPECIES, be, (start + j) * 4, ORDER);
                        FloatVector v = FloatVector.fromByteBuffer(SPECIES, bx, (start + j) * 4, ORDER).sub(mean[ch]);
                        accE = accE.add(e);
                        accX = e.fma(v, accX);
                    }
                    float tailE = 0;
                    float tailX = 0;
                    for (; j < plane; j++) {
                        float e = be.getFloat((start + j) * 4);
                        tailE += e;
                        tailX += e * (bx.getFloat((start + j) * 4) - mean[ch]);
                    }
                    se += VectorKernels.laneSum(accE) + tailE;
                    sx += VectorKernels.laneSum(accX) + tailX;
                }
                sumEps[ch] = se;
                sumEpsCentred[ch] = sx;
            }
        });
    }

    /** out = a_c · p + b_c · q + d_c, element-wise over [N, C, H, W]; q (with b) may be null; out may be p. */
    public static void combine(INDArray p, INDArray q, float[] a, float[] b, float[] d, INDArray out) {
        int n = (int) p.size(0);
        int c = (int) p.size(1);
        int plane = (int) (p.length() / ((long) n * c));
        ByteBuffer bp = HostArrays.buffer(p);
        ByteBuffer bq = q == null ? null : HostArrays.buffer(q);
        ByteBuffer bo = HostArrays.buffer(out);
        HostArrays.split(n * c, plane, (p0, p1) -> {
            for (int planeIndex = p0; planeIndex < p1; planeIndex++) {
                int ch = planeIndex % c;
                int start = planeIndex * plane;
                float ac = a[ch];
                float bc = bq == null ? 0 : b[ch];
                float dc = d[ch];
                int j = 0;
                for (; j + SPECIES.length() <= plane; j += SPECIES.length()) {
                    int at = (start + j) * 4;
                    FloatVector v = FloatVector.fromByteBuffer(SPECIES, bp, at, ORDER).fma(ac, dc);
                    if (bq != null) {
                        v = FloatVector.fromByteBuffer(SPECIES, bq, at, ORDER).fma(FloatVector.broadcast(SPECIES, bc), v);
                    }
                    v.intoByteBuffer(bo, at, ORDER);
                }
                for (; j < plane; j++) {
                    int at = (start + j) * 4;
                    float v = ac * bp.getFloat(at) + dc;
                    if (bq != null) {
                        v += bc * bq.getFloat(at);
                    }
                    bo.putFloat(at, v);
                }
            }
        });
    }

    private static double sum(ByteBuffer b, int start, int len) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int j = 0;
        for (; j + SPECIES.length() <= len; j += SPECIES.length()) {
            acc = acc.add(FloatVector.fromByteBuffer(SPECIES, b, (start + j) * 4, ORDER));
        }
        double s = VectorKernels.laneSum(acc);
        for (; j < len; j++) {
            s += b.getFloat((start + j) * 4);
        }
        return s;
    }

    private static double squaredDeviations(ByteBuffer b, int start, int len, float mean) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int j = 0;
        for (; j + SPECIES.length() <= len; j += SPECIES.length()) {
            FloatVector d = FloatVector.fromByteBuffer(SPECIES, b, (start + j) * 4, ORDER).sub(mean);
            acc = d.fma(d, acc);
        }
        double s = VectorKernels.laneSum(acc);
        for (; j < len; j++) {
            double d = b.getFloat((start + j) * 4) - mean;
            s += d * d;
        }
        return s;
    }
}
