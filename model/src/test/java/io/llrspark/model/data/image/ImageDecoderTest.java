package io.llrspark.model.data.image;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageDecoderTest {

    @Test
    void rgbJpegDecodesToItsPixels() throws Exception {
        BufferedImage source = TestImages.pattern(97, 61, 1);
        DecodedImage decoded = ImageDecoder.decode(TestImages.jpeg(source));
        assertEquals(97, decoded.width());
        assertEquals(61, decoded.height());
        assertClose(TestImages.expected(source), decoded, 2.0);
    }

    @Test
    void grayJpegIsReplicatedIntoThreeChannels() throws Exception {
        BufferedImage source = TestImages.grayPattern(40, 70, 2);
        DecodedImage decoded = ImageDecoder.decode(TestImages.jpeg(source));
        for (int i = 0; i < decoded.rgb().length; i += 3) {
            assertEquals(decoded.rgb()[i], decoded.rgb()[i + 1]);
            assertEquals(decoded.rgb()[i], decoded.rgb()[i + 2]);
        }
        // Samples as stored: no gamma change on the way (the JDK's gray-to-sRGB conversion would brighten them).
        assertClose(TestImages.expected(source), decoded, 2.0);
    }

    @Test
    void adobeCmykAndYcckJpegsConvertToTheirColours() throws Exception {
        BufferedImage source = TestImages.pattern(64, 48, 3);
        DecodedImage expected = TestImages.expected(source);
        assertClose(expected, ImageDecoder.decode(TestImages.adobeCmykJpeg(source, false)), 3.0);
        assertClose(expected, ImageDecoder.decode(TestImages.adobeCmykJpeg(source, true)), 3.0);
        assertClose(expected, ImageDecoder.decode(TestImages.plainCmykJpeg(source)), 3.0);
    }

    @Test
    void pngWithAPaletteDecodesExactly() throws Exception {
        byte[] reds = {0, (byte) 200, 10};
        byte[] greens = {0, 30, (byte) 250};
        byte[] blues = {0, 90, 40};
        BufferedImage source = new BufferedImage(5, 4, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(2, 3, reds, greens, blues));
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                source.getRaster().setSample(x, y, 0, (x + y) % 3);
            }
        }
        DecodedImage decoded = ImageDecoder.decode(TestImages.png(source));
        assertEquals(0.0, TestImages.meanAbsoluteDifference(TestImages.expected(source), decoded));
        assertEquals(200, decoded.sample(1, 0, 0));
        assertEquals(250, decoded.sample(2, 0, 1));
    }

    @Test
    void truncatedFilesAreCorrupt() {
        byte[] jpeg = TestImages.jpeg(TestImages.pattern(120, 90, 4));
        for (double fraction : new double[]{0.9, 0.6, 0.3, 0.05}) {
            UndecodableImageException e = assertThrows(UndecodableImageException.class,
                    () -> ImageDecoder.decode(TestImages.truncated(jpeg, fraction)), "kept " + fraction);
            assertEquals(UndecodableImageException.Kind.CORRUPT, e.kind(), e.getMessage());
            assertTrue(e.getMessage().startsWith("JPEG: "), e.getMessage());
        }
        byte[] png = TestImages.png(TestImages.pattern(120, 90, 4));
        assertEquals(UndecodableImageException.Kind.CORRUPT, assertThrows(UndecodableImageException.class,
                () -> ImageDecoder.decode(TestImages.truncated(png, 0.7))).kind());
    }

    @Test
    void textAndEmptyFilesAreNotImages() {
        for (byte[] bytes : new byte[][]{"not an image\n".getBytes(StandardCharsets.UTF_8), new byte[0],
                new byte[]{0, 0, 0, 0, 0, 0}}) {
            assertEquals(UndecodableImageException.Kind.NOT_AN_IMAGE,
                    assertThrows(UndecodableImageException.class, () -> ImageDecoder.decode(bytes)).kind());
        }
    }

    @Test
    void aJpegHeaderFollowedByGarbageIsCorrupt() {
        byte[] bytes = TestImages.jpeg(TestImages.pattern(30, 30, 5));
        for (int i = bytes.length / 2; i < bytes.length - 2; i++) {
            bytes[i] = (byte) (i * 31);
        }
        assertEquals(UndecodableImageException.Kind.CORRUPT,
                assertThrows(UndecodableImageException.class, () -> ImageDecoder.decode(bytes)).kind());
    }

    private static void assertClose(DecodedImage expected, DecodedImage actual, double meanTolerance) {
        double mad = TestImages.meanAbsoluteDifference(expected, actual);
        assertTrue(mad <= meanTolerance, "mean absolute difference " + mad + " > " + meanTolerance);
    }
}
