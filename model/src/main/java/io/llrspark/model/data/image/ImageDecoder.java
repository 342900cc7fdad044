package io.llrspark.model.data.image;

import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decodes image files (JPEG, and whatever else javax.imageio reads: PNG, GIF, BMP) to {@link DecodedImage}s. The one
 * decoder both prepare-data (to reject bad files) and training (to read the shards) use, so a file that passes
 * preparation decodes the same way at training time.
 * <ul>
 * <li>Grayscale images are replicated into the three channels.</li>
 * <li>CMYK and YCCK JPEGs (Photoshop's; ImageNet has a few) are read as raw channels and converted here, see
 * {@link CmykToRgb}: the JDK's reader cannot convert them reliably.</li>
 * <li>Embedded ICC profiles are ignored, as in most training pipelines: samples are taken as sRGB.</li>
 * <li>Only the formats above and TIFF count as images: the JDK's WBMP reader takes many a binary file for a
 * picture.</li>
 * <li>A reader's warnings count as damage (a truncated JPEG decodes with a warning and a gray lower part), except
 * libjpeg's "extraneous bytes before marker", which intact images in the wild (ImageNet among them) trigger.</li>
 * </ul>
 */
public final class ImageDecoder {
    /** Larger images are rejected before decoding: a forged header must not exhaust an executor's heap. */
    public static final long MAX_PIXELS = 64L << 20;
    private static final String JPEG_METADATA = "javax_imageio_jpeg_image_1.0";
    private static final Set<String> FORMATS = Set.of("jpeg", "png", "gif", "bmp", "tiff");

    private ImageDecoder() {
    }

    public static DecodedImage decode(byte[] bytes) throws UndecodableImageException {
        ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes));
        ImageReader reader = readerFor(in);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        try {
            reader.setInput(in, true, true);
            long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
            if (pixels > MAX_PIXELS) {
                throw corrupt(reader, reader.getWidth(0) + "x" + reader.getHeight(0) + " pixels, more than the "
                        + MAX_PIXELS + " this decoder accepts");
            }
            DecodedImage image = isJpeg(reader) && jpegComponents(reader) == 4
                    ? CmykToRgb.convert(reader.readRaster(0, null), adobeTransform(reader))
                    : toRgb(reader.read(0));
            for (String w : warnings) {
                if (!w.contains("extraneous bytes before marker")) {
                    throw corrupt(reader, w);
                }
            }
            return image;
        } catch (IOException | RuntimeException e) {
            // Readers throw anything on damaged input: IIOException, EOFException, index and argument errors.
            throw new UndecodableImageException(UndecodableImageException.Kind.CORRUPT, format(reader) + ": "
                    + (e instanceof IIOException || e.getMessage() != null ? e.getMessage() : e.toString()), e);
        } finally {
            reader.dispose();
        }
    }

    private static ImageReader readerFor(ImageInputStream in) throws UndecodableImageException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            if (FORMATS.contains(format(reader).toLowerCase(Locale.ROOT))) {
                return reader;
            }
            reader.dispose();
        }
        throw new UndecodableImageException(UndecodableImageException.Kind.NOT_AN_IMAGE,
                "no image format recognizes the contents");
    }

    private static UndecodableImageException corrupt(ImageReader reader, String detail) {
        return new UndecodableImageException(UndecodableImageException.Kind.CORRUPT, format(reader) + ": " + detail);
    }

    private static String format(ImageReader reader) {
        try {
            return reader.getFormatName().toUpperCase(Locale.ROOT);
        } catch (IOException e) {
            return "image";
        }
    }

    private static boolean isJpeg(ImageReader reader) throws IOException {
        return reader.getFormatName().equalsIgnoreCase("jpeg");
    }

    /** Components of the frame (1 gray, 3 YCbCr or RGB, 4 CMYK or YCCK), from the SOF marker. */
    private static int jpegComponents(ImageReader reader) throws IOException {
        Node sof = child(markers(reader), "sof");
        return sof == null ? 0 : sof.getChildNodes().getLength();
    }

    /** The Adobe APP14 marker's colour transform (0 none, 1 YCbCr, 2 YCCK), or -1 without that marker. */
    private static int adobeTransform(ImageReader reader) throws IOException {
        Node adobe = child(markers(reader), "app14Adobe");
        if (adobe == null) {
            return -1;
        }
        NamedNodeMap attributes = adobe.getAttributes();
        return Integer.parseInt(attributes.getNamedItem("transform").getNodeValue());
    }

    private static Node markers(ImageReader reader) throws IOException {
        return child(reader.getImageMetadata(0).getAsTree(JPEG_METADATA), "markerSequence");
    }

    private static Node child(Node parent, String name) {
        for (Node n = parent == null ? null : parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeName().equals(name)) {
                return n;
            }
        }
        return null;
    }

    /** 8-bit RGB or gray samples are copied (gray replicated); anything else goes through the colour model. */
    static DecodedImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[3 * w * h];
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        int space = cm.getColorSpace().getType();
        if (cm instanceof ComponentColorModel && raster.getSampleModel() instanceof ComponentSampleModel sm
                && raster.getDataBuffer() instanceof DataBufferByte buffer && buffer.getNumBanks() == 1
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
                && (space == ColorSpace.TYPE_RGB || space == ColorSpace.TYPE_GRAY)) {
            byte[] data = buffer.getData();
            int[] offsets = sm.getBandOffsets();
            int gray = space == ColorSpace.TYPE_GRAY ? 1 : 0;
            int r = offsets[0] + buffer.getOffset();
            int g = offsets[1 - gray] + buffer.getOffset();
            int b = offsets[2 - 2 * gray] + buffer.getOffset();
            int stride = sm.getPixelStride();
            for (int y = 0, o = 0; y < h; y++) {
                int row = y * sm.getScanlineStride();
                for (int x = 0; x < w; x++, o += 3) {
                    int p = row + x * stride;
                    rgb[o] = data[p + r];
                    rgb[o + 1] = data[p + g];
                    rgb[o + 2] = data[p + b];
                }
            }
        } else {
            int[] argb = new int[w];
            for (int y = 0, o = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, argb, 0, w);
                for (int x = 0; x < w; x++, o += 3) {
                    rgb[o] = (byte) (argb[x] >> 16);
                    rgb[o + 1] = (byte) (argb[x] >> 8);
                    rgb[o + 2] = (byte) argb[x];
                }
            }
        }
        return new DecodedImage(w, h, rgb);
    }
}
