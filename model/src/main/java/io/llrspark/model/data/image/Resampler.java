package io.llrspark.model.data.image;

/**
 * Resamples a window of an RGB image to size × size with a triangle (bilinear) filter whose support widens with the
 * reduction factor, as PIL's antialiased bilinear resize does: plain bilinear interpolation from 500 pixels to 224
 * would skip source pixels and alias. Separable: a horizontal pass over the rows the window needs, then a vertical
 * one. Output is channel-first floats in [0, 1].
 */
final class Resampler {
    private Resampler() {
    }

    /** Writes 3 · size · size floats at {@code out[offset]}: red plane, green plane, blue plane, rows top to bottom. */
    static void resample(DecodedImage image, CropWindow window, int size, float[] out, int offset) {
        Taps columns = Taps.of(window.x(), window.width(), size, image.width());
        Taps rows = Taps.of(window.y(), window.height(), size, image.height());
        int firstRow = rows.first[0];
        int lastRow = firstRow;
        for (int o = 0; o < size; o++) {
            lastRow = Math.max(lastRow, rows.first[o] + rows.count[o] - 1);
        }
        // Horizontal pass: for every source row in reach, the output columns, interleaved RGB.
        int needed = lastRow - firstRow + 1;
        float[] horizontal = new float[needed * size * 3];
        byte[] rgb = image.rgb();
        for (int r = 0; r < needed; r++) {
            int src = (firstRow + r) * image.width() * 3;
            for (int o = 0; o < size; o++) {
                float red = 0;
                float green = 0;
                float blue = 0;
                int w = o * columns.stride;
                for (int t = 0; t < columns.count[o]; t++) {
                    float weight = columns.weights[w + t];
                    int p = src + 3 * (columns.first[o] + t);
                    red += weight * (rgb[p] & 0xFF);
                    green += weight * (rgb[p + 1] & 0xFF);
                    blue += weight * (rgb[p + 2] & 0xFF);
                }
                int h = (r * size + o) * 3;
                horizontal[h] = red;
                horizontal[h + 1] = green;
                horizontal[h + 2] = blue;
            }
        }
        int plane = size * size;
        for (int oy = 0; oy < size; oy++) {
            int w = oy * rows.stride;
            for (int ox = 0; ox < size; ox++) {
                float red = 0;
                float green = 0;
                float blue = 0;
                for (int t = 0; t < rows.count[oy]; t++) {
                    float weight = rows.weights[w + t];
                    int h = ((rows.first[oy] - firstRow + t) * size + ox) * 3;
                    red += weight * horizontal[h];
                    green += weight * horizontal[h + 1];
                    blue += weight * horizontal[h + 2];
                }
                int x = window.flip() ? size - 1 - ox : ox;
                int at = offset + oy * size + x;
                out[at] = clamp(red / 255f);
                out[at + plane] = clamp(green / 255f);
                out[at + 2 * plane] = clamp(blue / 255f);
            }
        }
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    /** Per output index along one axis: the first source index, how many, and their normalized weights. */
    private static final class Taps {
        final int[] first;
        final int[] count;
        final float[] weights;
        final int stride;

        private Taps(int outputs, int stride) {
            this.first = new int[outputs];
            this.count = new int[outputs];
            this.weights = new float[outputs * stride];
            this.stride = stride;
        }

        static Taps of(double start, double length, int outputs, int sourceSize) {
            double scale = length / outputs;
            // Enlarging: plain linear interpolation (support 1); reducing: the filter covers `scale` source pixels.
            double support = Math.max(1.0, scale);
            Taps taps = new Taps(outputs, (int) Math.ceil(2 * support) + 2);
            for (int o = 0; o < outputs; o++) {
                // Output pixel centre in source coordinates, where source pixel t has its centre at t + 0.5.
                double centre = start + (o + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(centre - support));
                int hi = Math.min(sourceSize - 1, (int) Math.ceil(centre + support));
                double total = 0;
                int n = 0;
                double[] w = new double[hi - lo + 1];
                for (int t = lo; t <= hi; t++) {
                    w[t - lo] = Math.max(0, 1 - Math.abs(t + 0.5 - centre) / support);
                    total += w[t - lo];
                }
                if (total == 0) {
                    // A window edge beyond the image: take the nearest pixel.
                    int nearest = Math.min(sourceSize - 1, Math.max(0, (int) Math.floor(centre)));
                    taps.first[o] = nearest;
                    taps.count[o] = 1;
                    taps.weights[o * taps.stride] = 1f;
                    continue;
                }
                // Trim zero-weight ends so the inner loops touch only contributing pixels.
                int a = 0;
                int b = w.length - 1;
                while (w[a] == 0) {
                    a++;
                }
                while (w[b] == 0) {
                    b--;
                }
                taps.first[o] = lo + a;
                for (int t = a; t <= b; t++, n++) {
                    taps.weights[o * taps.stride + n] = (float) (w[t] / total);
                }
                taps.count[o] = n;
            }
            return taps;
        }
    }
}
