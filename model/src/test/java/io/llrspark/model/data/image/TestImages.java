package io.llrspark.model.data.image;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Random;

/**
 * Real image files for tests, written with javax.imageio: smooth colour patterns (JPEG keeps them within a few levels)
 * as RGB, grayscale and CMYK JPEGs, PNGs, and damaged files. CMYK JPEGs are written the way Photoshop writes them
 * (Adobe APP14 marker, inverted inks, optionally YCCK): the JDK writes four raw channels, and the marker is inserted by
 * hand.
 */
public final class TestImages {
    private TestImages() {
    }

    /** A smooth RGB pattern that depends on the seed: gradients plus a soft disc of a random colour. */
    public static BufferedImage pattern(int width, int height, long seed) {
        Random r = new Random(seed);
        int[] base = {r.nextInt(200), r.nextInt(200), r.nextInt(200)};
        int[] disc = {r.nextInt(256), r.nextInt(256), r.nextInt(256)};
        double cx = width * (0.3 + 0.4 * r.nextDouble());
        double cy = height * (0.3 + 0.4 * r.nextDouble());
        double radius = Math.min(width, height) * 0.3;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double d = Math.hypot(x - cx, y - cy) / radius;
                double weight = Math.max(0, Math.min(1, 1.5 - d));
                int[] c = new int[3];
                for (int k = 0; k < 3; k++) {
                    double ramp = base[k] + 55.0 * (k == 0 ? x / (double) width : k == 1 ? y / (double) height
                            : (x + y) / (double) (width + height));
                    c[k] = (int) Math.round(ramp * (1 - weight) + disc[k] * weight);
                }
                image.setRGB(x, y, c[0] << 16 | c[1] << 8 | c[2]);
            }
        }
        return image;
    }

    /** The same pattern as a one-channel gray image. */
    public static BufferedImage grayPattern(int width, int height, long seed) {
        BufferedImage rgb = pattern(width, height, seed);
        BufferedImage gray = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = gray.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = rgb.getRGB(x, y);
                raster.setSample(x, y, 0, ((p >> 16 & 0xFF) + (p >> 8 & 0xFF) + (p & 0xFF)) / 3);
            }
        }
        return gray;
    }

    /** What a decoder should return for an image: its samples as 8-bit RGB (gray replicated), no colour management. */
    public static DecodedImage expected(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[3 * w * h];
        for (int y = 0, o = 0; y < h; y++) {
            for (int x = 0; x < w; x++, o += 3) {
                if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
                    int v = image.getRaster().getSample(x, y, 0);
                    rgb[o] = rgb[o + 1] = rgb[o + 2] = (byte) v;
                } else {
                    int p = image.getRGB(x, y);
                    rgb[o] = (byte) (p >> 16);
                    rgb[o + 1] = (byte) (p >> 8);
                    rgb[o + 2] = (byte) p;
                }
            }
        }
        return new DecodedImage(w, h, rgb);
    }

    public static byte[] jpeg(BufferedImage image) {
        return jpeg(new IIOImage(image, null, null));
    }

    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A CMYK JPEG of an RGB image as Photoshop writes one: Adobe APP14 marker, inks stored inverted, and with
     * {@code ycck} the colour inks' complements stored as YCbCr (transform 2) rather than as they are (transform 0).
     */
    public static byte[] adobeCmykJpeg(BufferedImage image, boolean ycck) {
        WritableRaster raster = cmykRaster(image, true);
        if (ycck) {
            int[] p = new int[4];
            for (int y = 0; y < raster.getHeight(); y++) {
                for (int x = 0; x < raster.getWidth(); x++) {
                    raster.getPixel(x, y, p);
                    // The complements of the stored (inverted) inks are an RGB triple; store its JFIF YCbCr.
                    double r = 255 - p[0];
                    double g = 255 - p[1];
                    double b = 255 - p[2];
                    raster.setPixel(x, y, new int[]{clamp(0.299 * r + 0.587 * g + 0.114 * b),
                            clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b),
                            clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b), p[3]});
                }
            }
        }
        return withAdobeMarker(jpeg(new IIOImage(raster, null, null)), ycck ? 2 : 0);
    }

    /** A four-channel JPEG without an Adobe marker: plain (not inverted) CMYK, as libjpeg defaults to. */
    public static byte[] plainCmykJpeg(BufferedImage image) {
        return jpeg(new IIOImage(cmykRaster(image, false), null, null));
    }

    /** The first {@code fraction} of a file, as a broken download leaves it. */
    public static byte[] truncated(byte[] file, double fraction) {
        return Arrays.copyOf(file, (int) (file.length * fraction));
    }

    private static WritableRaster cmykRaster(BufferedImage image, boolean inverted) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, image.getWidth(),
                image.getHeight(), 4, null);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                double r = (p >> 16 & 0xFF) / 255.0;
                double g = (p >> 8 & 0xFF) / 255.0;
                double b = (p & 0xFF) / 255.0;
                double k = 1 - Math.max(r, Math.max(g, b));
                double[] ink = k >= 1 ? new double[]{0, 0, 0, 1}
                        : new double[]{(1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k};
                int[] stored = new int[4];
                for (int c = 0; c < 4; c++) {
                    stored[c] = clamp(255 * (inverted ? 1 - ink[c] : ink[c]));
                }
                raster.setPixel(x, y, stored);
            }
        }
        return raster;
    }

    private static byte[] withAdobeMarker(byte[] jpeg, int transform) {
        byte[] app14 = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform};
        byte[] out = new byte[jpeg.length + app14.length];
        // Right after SOI, before any other marker.
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(app14, 0, out, 2, app14.length);
        System.arraycopy(jpeg, 2, out, 2 + app14.length, jpeg.length - 2);
        return out;
    }

    private static byte[] jpeg(IIOImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.95f);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, image, param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** Mean absolute difference per sample of two images of one size. */
    public static double meanAbsoluteDifference(DecodedImage a, DecodedImage b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new AssertionError("sizes differ: " + a.width() + "x" + a.height() + " vs " + b.width() + "x"
                    + b.height());
        }
        long sum = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            sum += Math.abs((a.rgb()[i] & 0xFF) - (b.rgb()[i] & 0xFF));
        }
        return sum / (double) a.rgb().length;
    }
}
