package io.llrspark.model.net.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;

/**
 * 2-D max pooling of NCHW float arrays in host memory, forward (keeping each output's position in its window) and
 * backward (each output's gradient to that position). Plain Java rather than the Vector API: a maximum is exact, so
 * the result is the same on every CPU, and the loop is memory-bound. oneDNN 2.3 (libnd4j's) pools plain NCHW with a
 * JIT kernel only where AVX-512 is; with AVX2 alone it takes its {@code simple_nchw} loop, 8-10 times slower
 * (docs/performance.md).
 */
public final class MaxPooling {
    /** {@code -Dllr.java.pooling=false} leaves max pooling to DL4J's layer (oneDNN), to compare. */
    public static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("llr.java.pooling", "true"));

    /** Shapes and window: input [n, c, h, w], output [n, c, oh, ow], padding before the first row and column. */
    public record Geometry(int n, int c, int h, int w, int oh, int ow, int kh, int kw, int sh, int sw, int padTop,
                           int padLeft) {
        public int outputs() {
            return n * c * oh * ow;
        }
    }

    private MaxPooling() {
    }

    /**
     * Whether the kernels take these arrays (float, dense C order, host memory) and this window: 2x2 at stride 2 with no
     * window reaching past the plane (SmallCNN's). Other windows (the ResNets' 3x3 stem pooling) stay with oneDNN: a
     * general loop here took 28 ms for ResNet-50's stem at batch 8, where oneDNN's AVX-512 kernel takes 1.6.
     */
    public static boolean handles(Geometry g, INDArray... arrays) {
        return ENABLED && g.kh() == 2 && g.kw() == 2 && g.sh() == 2 && g.sw() == 2 && g.padTop() == 0
                && g.padLeft() == 0 && 2 * g.oh() <= g.h() && 2 * g.ow() <= g.w()
                && (long) g.n() * g.c() * g.h() * g.w() < Integer.MAX_VALUE && HostArrays.walkable(arrays);
    }

    /**
     * Writes each window's maximum (NaN if the window holds one, so a NaN is never pooled away) to {@code out}, and
     * when {@code argmax} is given its position in the window (row-major; the first of equal maxima). Only for the
     * windows {@link #handles} accepts.
     */
    public static void forward(INDArray x, Geometry g, INDArray out, byte[] argmax) {
        FloatBuffer in = HostArrays.buffer(x).asFloatBuffer();
        FloatBuffer o = HostArrays.buffer(out).asFloatBuffer();
        int plane = g.h() * g.w();
        int outPlane = g.oh() * g.ow();
        HostArrays.split(g.n() * g.c(), plane, (p0, p1) -> {
            // A plane at a time through arrays: bulk copies out of and into ND4J's buffers, plain indexing between.
            float[] src = new float[plane];
            float[] dst = new float[outPlane];
            for (int p = p0; p < p1; p++) {
                in.get(p * plane, src);
                forwardPairs(src, dst, g, argmax, p * outPlane);
                o.put(p * outPlane, dst);
            }
        });
    }

    /** 2x2 windows at stride 2, none reaching past the plane: four reads, no bounds to clamp. */
    private static void forwardPairs(float[] in, float[] out, Geometry g, byte[] argmax, int argmaxAt) {
        int w = g.w();
        int k = 0;
        for (int oy = 0; oy < g.oh(); oy++) {
            int row = 2 * oy * w;
            for (int ox = 0; ox < g.ow(); ox++, k++) {
                int i = row + 2 * ox;
                float a = in[i];
                float b = in[i + 1];
                float c = in[i + w];
                float d = in[i + w + 1];
                // Math.max returns NaN if either is: a NaN is never pooled away.
                float top = Math.max(a, b);
                float bottom = Math.max(c, d);
                out[k] = Math.max(top, bottom);
                if (argmax != null) {
                    // Selects, not a chain of branches: on real data which element wins is a coin toss, and
                    // mispredicted branches made this loop five times slower.
                    int right = b > a ? 1 : 0;
                    int rightBelow = d > c ? 1 : 0;
                    int below = bottom > top ? 1 : 0;
                    argmax[argmaxAt + k] = (byte) (2 * below + (below == 1 ? rightBelow : right));
                }
            }
        }
    }

    /** dx: each output's gradient added at the position {@link #forward} recorded for it, zero elsewhere. */
    public static void backward(INDArray eps, Geometry g, byte[] argmax, INDArray dx) {
        FloatBuffer e = HostArrays.buffer(eps).asFloatBuffer();
        FloatBuffer d = HostArrays.buffer(dx).asFloatBuffer();
        int plane = g.h() * g.w();
        int outPlane = g.oh() * g.ow();
        HostArrays.split(g.n() * g.c(), plane, (p0, p1) -> {
            float[] grad = new float[outPlane];
            float[] dst = new float[plane];
            for (int p = p0; p < p1; p++) {
                e.get(p * outPlane, grad);
                java.util.Arrays.fill(dst, 0f);
                int k = 0;
                for (int oy = 0; oy < g.oh(); oy++) {
                    int y0 = oy * g.sh() - g.padTop();
                    for (int ox = 0; ox < g.ow(); ox++, k++) {
                        int at = argmax[p * outPlane + k];
                        if (at >= 0) {
                            dst[(y0 + at / g.kw()) * g.w() + ox * g.sw() - g.padLeft() + at % g.kw()] += grad[k];
                        }
                    }
                }
                d.put(p * plane, dst);
            }
        });
    }
}
