package io.llrspark.model.net.kernels;

import jdk.incubator.vector.FloatVector;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import static io.llrspark.model.net.kernels.VectorKernels.ORDER;
import static io.llrspark.model.net.kernels.VectorKernels.SPECIES;

/**
 * Direct convolution of a layer with few input channels (a network's first layer: 1 or 3 channels), stride 1,
 * odd kernels with "same" padding, NCHW float: the forward pass and the weight gradient. oneDNN turns such a layer
 * into a GEMM with an inner dimension of 9 or 27, which ran at 5-10 GFLOP/s and cost SmallCNN's first layer as much as
 * its second, 16 times larger one. Here each output plane is a sum of shifted copies of the input planes, one SIMD
 * sweep per kernel tap.
 *
 * <p>An input plane is laid out once per kernel column offset dx, with zero rows above and below and zero margins
 * at both ends, so that output position p reads tap (ky, kx) at {@code margin + ky·W + dx + p}. Flattened rows wrap
 * around: reading column −1 lands on the previous row's last column. The copy for dx therefore has the columns a
 * wrapped read would land on (the last |dx| for dx &lt; 0, the first dx for dx &gt; 0) set to zero, which no
 * in-range read of that copy ever needs.
 */
public final class VectorConvolution {
    /** Input channels × kernel taps up to which the direct convolution beats oneDNN's GEMM (measured at 9 and 27). */
    static final int MAX_TAPS = 27;
    /** {@code -Dllr.vector.convolution=false} leaves first layers to libnd4j, to compare. */
    public static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("llr.vector.convolution", "true"));

    private VectorConvolution() {
    }

    /**
     * Whether {@link #forward} and {@link #weightGradient} handle a convolution of {@code inChannels} with this kernel,
     * stride, padding and dilation.
     */
    public static boolean handles(long inChannels, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        return VectorSupport.AVAILABLE && ENABLED && inChannels * kernel[0] * kernel[1] <= MAX_TAPS
                && kernel[0] % 2 == 1 && kernel[1] % 2 == 1 && stride[0] == 1 && stride[1] == 1
                && dilation[0] == 1 && dilation[1] == 1
                && padding[0] == kernel[0] / 2 && padding[1] == kernel[1] / 2;
    }

    /** z = conv(x, w) + b, x [N, Ci, H, W], w [Co, Ci, kH, kW], b [Co] or null, z [N, Co, H, W]. */
    public static void forward(INDArray x, INDArray w, INDArray b, INDArray z) {
        float[] weights = w.dup('c').reshape(w.length()).toFloatVector();
        convolve(x, new Shape(x, (int) w.size(0), (int) w.size(2), (int) w.size(3)), weights,
                b == null ? null : b.toFloatVector(), z);
    }

    /**
     * dx = the transposed convolution of delta [N, Co, H, W] with w [Co, Ci, kH, kW] into dx [N, Ci, H, W]: at stride 1
     * with "same" padding it is the convolution of delta with the kernel flipped in space and its channels swapped
     * (Co input channels, so many taps: the sweeps stream each tap over one plane, which still beat deconv2d, 3.7-4.5
     * against 5.3 ms for SmallCNN's first layer).
     */
    public static void inputGradient(INDArray delta, INDArray w, INDArray dx) {
        int co = (int) w.size(0);
        int ci = (int) w.size(1);
        int kh = (int) w.size(2);
        int kw = (int) w.size(3);
        float[] original = w.dup('c').reshape(w.length()).toFloatVector();
        float[] swapped = new float[original.length];
        for (int o = 0; o < co; o++) {
            for (int i = 0; i < ci; i++) {
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        swapped[((i * co + o) * kh + (kh - 1 - y)) * kw + (kw - 1 - x)] =
                                original[((o * ci + i) * kh + y) * kw + x];
                    }
                }
            }
        }
        convolve(delta, new Shape(delta, ci, kh, kw), swapped, null, dx);
    }

    private static void convolve(INDArray x, Shape s, float[] weights, float[] biases, INDArray z) {
        float[] bias = biases == null ? new float[s.co] : biases;
        ByteBuffer in = HostArrays.buffer(x);
        ByteBuffer out = HostArrays.buffer(z);
        HostArrays.split(s.n, s.co * s.plane * s.taps(), (n0, n1) -> {
            float[][] planes = s.planes();
            float[] row = new float[s.plane];
            for (int n = n0; n < n1; n++) {
                s.fill(planes, in, n);
                for (int co = 0; co < s.co; co++) {
                    outputPlane(s, planes, weights, co * s.taps(), bias[co], out, (n * s.co + co) * s.plane, row);
                }
            }
        });
    }

    /**
     * One output plane, accumulated tap by tap in {@code row}: one streaming sweep per tap (the loop order of the
     * weight gradient). With all taps inside the sweep, C2 left the vectors boxed and the kernel ran 4x slower.
     */
    private static void outputPlane(Shape s, float[][] planes, float[] weights, int first, float bias, ByteBuffer out,
                                    int base, float[] row) {
        int bound = SPECIES.loopBound(s.plane);
        Arrays.fill(row, bias);
        int t = first;
        for (int ci = 0; ci < s.ci; ci++) {
            for (int ky = 0; ky < s.kh; ky++) {
                for (int kx = 0; kx < s.kw; kx++) {
                    float[] plane = planes[ci * s.kw + kx];
                    int start = s.start(ky, kx);
                    float wt = weights[t++];
                    FloatVector wv = FloatVector.broadcast(SPECIES, wt);
                    // Unmasked vectors, then the tail in scalars: JDK 17's masked loads and stores are slow paths.
                    for (int i = 0; i < bound; i += SPECIES.length()) {
                        FloatVector.fromArray(SPECIES, plane, start + i)
                                .fma(wv, FloatVector.fromArray(SPECIES, row, i)).intoArray(row, i);
                    }
                    for (int i = bound; i < s.plane; i++) {
                        row[i] += plane[start + i] * wt;
                    }
                }
            }
        }
        out.asFloatBuffer().put(base, row, 0, s.plane);
    }

    /**
     * The weight gradient Σ_n,p δ[n, co, p]·x[n, ci, p + tap] into gw [Co, Ci, kH, kW] and the bias gradient Σ δ into
     * gb (when not null); sums in float within one plane, in double across planes.
     */
    public static void weightGradient(INDArray x, INDArray delta, INDArray gw, INDArray gb) {
        Shape s = new Shape(x, (int) gw.size(0), (int) gw.size(2), (int) gw.size(3));
        ByteBuffer in = HostArrays.buffer(x);
        ByteBuffer d = HostArrays.buffer(delta);
        double[] sums = new double[s.co * s.taps()];
        double[] biasSums = new double[s.co];
        Map<Integer, double[][]> partials = new ConcurrentSkipListMap<>();
        HostArrays.split(s.n, s.co * s.plane * s.taps(), (n0, n1) -> {
            float[][] planes = s.planes();
            double[] local = new double[sums.length];
            double[] localBias = new double[biasSums.length];
            for (int n = n0; n < n1; n++) {
                s.fill(planes, in, n);
                int bound = SPECIES.loopBound(s.plane);
                for (int co = 0; co < s.co; co++) {
                    int base = (n * s.co + co) * s.plane;
                    FloatVector bacc = FloatVector.zero(SPECIES);
                    for (int i = 0; i < bound; i += SPECIES.length()) {
                        bacc = bacc.add(FloatVector.fromByteBuffer(SPECIES, d, (base + i) * 4, ORDER));
                    }
                    double biasSum = VectorKernels.laneSum(bacc);
                    for (int i = bound; i < s.plane; i++) {
                        biasSum += d.getFloat((base + i) * 4);
                    }
                    localBias[co] += biasSum;
                    int t = co * s.taps();
                    for (int ci = 0; ci < s.ci; ci++) {
                        for (int ky = 0; ky < s.kh; ky++) {
                            for (int kx = 0; kx < s.kw; kx++) {
                                float[] plane = planes[ci * s.kw + kx];
                                int start = s.start(ky, kx);
                                FloatVector acc = FloatVector.zero(SPECIES);
                                for (int i = 0; i < bound; i += SPECIES.length()) {
                                    FloatVector dv = FloatVector.fromByteBuffer(SPECIES, d, (base + i) * 4, ORDER);
                                    acc = FloatVector.fromArray(SPECIES, plane, start + i).fma(dv, acc);
                                }
                                double sum = VectorKernels.laneSum(acc);
                                for (int i = bound; i < s.plane; i++) {
                                    sum += plane[start + i] * d.getFloat((base + i) * 4);
                                }
                                local[t++] += sum;
                            }
                        }
                    }
                }
            }
            partials.put(n0, new double[][]{local, localBias});
        });
        // Added in batch order, not in the order the threads finish: the same bits on every run.
        for (double[][] p : partials.values()) {
            for (int k = 0; k < sums.length; k++) {
                sums[k] += p[0][k];
            }
            for (int k = 0; k < biasSums.length; k++) {
                biasSums[k] += p[1][k];
            }
        }
        gw.assign(Nd4j.createFromArray(toFloat(sums)).reshape(gw.shape()));
        if (gb != null) {
            gb.assign(Nd4j.createFromArray(toFloat(biasSums)).reshape(gb.shape()));
        }
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** Sizes of one convolution, and its padded input planes. */
    private static final class Shape {
        final int n;
        final int ci;
        final int h;
        final int w;
        final int co;
        final int kh;
        final int kw;
        final int plane;
        /** Zeros before the first row (and after the last), so every tap's read stays inside the copy. */
        final int margin;
        final int length;

        Shape(INDArray x, int outChannels, int kernelHeight, int kernelWidth) {
            n = (int) x.size(0);
            ci = (int) x.size(1);
            h = (int) x.size(2);
            w = (int) x.size(3);
            co = outChannels;
            kh = kernelHeight;
            kw = kernelWidth;
            plane = h * w;
            margin = kw / 2;
            length = (h + 2 * (kh / 2)) * w + 2 * margin + SPECIES.length();
        }

        int taps() {
            return ci * kh * kw;
        }

        /** Where output position 0 reads tap (ky, kx) in the copy for column offset kx − kW/2. */
        int start(int ky, int kx) {
            return margin + ky * w + kx - kw / 2;
        }

        float[][] planes() {
            return new float[ci * kw][length];
        }

        /** Copies sample n's input planes into the per-offset copies (zeros where a read must see padding). */
        void fill(float[][] planes, ByteBuffer in, int n) {
            int top = kh / 2;
            FloatBuffer source = in.asFloatBuffer();
            for (int c = 0; c < ci; c++) {
                int first = (n * ci + c) * plane;
                for (int kx = 0; kx < kw; kx++) {
                    float[] copy = planes[c * kw + kx];
                    Arrays.fill(copy, 0f);
                    int dx = kx - kw / 2;
                    for (int r = 0; r < h; r++) {
                        int at = margin + (r + top) * w;
                        source.get(first + r * w, copy, at, w);
                        if (dx < 0) {
                            Arrays.fill(copy, at + w + dx, at + w, 0f);
                        } else if (dx > 0) {
                            Arrays.fill(copy, at, at + dx, 0f);
                        }
                    }
                }
            }
        }
    }
}
