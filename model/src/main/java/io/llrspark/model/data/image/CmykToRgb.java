package io.llrspark.model.data.image;

import java.awt.image.Raster;

/**
 * Four-channel JPEGs to RGB. Photoshop writes CMYK JPEGs with an Adobe APP14 marker and stores every ink inverted
 * (255 = no ink); with transform 2 (YCCK) the three colour inks are further stored as YCbCr of their complements. The
 * JDK's reader either refuses such files or returns them unconverted, so the raw channels are read and converted
 * here, as libjpeg and PIL do: undo YCC, then R = (1 − C)(1 − K) per channel in ink terms. Without an ICC transform
 * the colours are approximate, which training does not mind; these files are rare (22 of ImageNet's 1.28 M).
 */
final class CmykToRgb {
    private CmykToRgb() {
    }

    /** @param adobeTransform the APP14 marker's transform, or -1 if there is none (then inks are not inverted) */
    static DecodedImage convert(Raster raster, int adobeTransform) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        byte[] rgb = new byte[3 * w * h];
        int[] row = new int[4 * w];
        boolean inverted = adobeTransform >= 0;
        for (int y = 0, o = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            for (int x = 0; x < w; x++, o += 3) {
                int c0 = row[4 * x];
                int c1 = row[4 * x + 1];
                int c2 = row[4 * x + 2];
                int k = row[4 * x + 3];
                if (adobeTransform == 2) {
                    // libjpeg's YCCK -> CMYK: the complement of the JFIF YCbCr -> RGB conversion.
                    double cb = c1 - 128;
                    double cr = c2 - 128;
                    int yy = c0;
                    c0 = 255 - clamp(yy + 1.402 * cr);
                    c1 = 255 - clamp(yy - 0.344136 * cb - 0.714136 * cr);
                    c2 = 255 - clamp(yy + 1.772 * cb);
                }
                rgb[o] = (byte) ink(c0, k, inverted);
                rgb[o + 1] = (byte) ink(c1, k, inverted);
                rgb[o + 2] = (byte) ink(c2, k, inverted);
            }
        }
        return new DecodedImage(w, h, rgb);
    }

    /** One RGB channel from its ink and black: stored values are the light left (inverted) or the ink itself. */
    private static int ink(int c, int k, boolean inverted) {
        int light = inverted ? c : 255 - c;
        int lightK = inverted ? k : 255 - k;
        return (light * lightK + 127) / 255;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
